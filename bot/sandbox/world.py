"""The sandbox's demo server: three channels, a Moderator and a fan role, and three people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.testing.fake_x import FakeX
from bot.testing.loopback.entities import ChannelFx, MemberFx, RoleFx
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

GUILD_NAME = "Lightstick Sandbox"
FAN_ROLE_COLOR = 0xF47FFF


@dataclass(frozen=True)
class Person:
    """Someone the page can act as: a guild member with a time zone (IANA) and Discord locale."""

    key: str
    member: MemberFx
    title: str
    timezone: str
    locale: str

    def payload(self) -> dict[str, Any]:
        """Return the JSON the page shows in its person switcher."""
        return {
            "id": str(self.member.id),
            "key": self.key,
            "name": self.member.user.global_name or self.member.user.username,
            "title": self.title,
            "timezone": self.timezone,
            "locale": self.locale,
            "roles": [str(r) for r in self.member.roles],
        }


@dataclass(frozen=True)
class DemoServer:
    """The demo guild and the handles the sandbox uses: shown channels, roles and people."""

    guild: GuildFixture
    channels: tuple[ChannelFx, ...]
    fan_role: RoleFx
    people: tuple[Person, ...]

    def person(self, user_id: str | int) -> Person:
        """Return the person with this user id (KeyError if the page sent an unknown one)."""
        for person in self.people:
            if str(person.member.id) == str(user_id):
                return person
        raise KeyError(f"unknown person {user_id}")

    def payload(self) -> dict[str, Any]:
        """Return the JSON the page needs to draw the server: channels, roles, people, names."""
        g = self.guild
        return {
            "guild": {"id": str(g.id), "name": g.name},
            "channels": [{"id": str(c.id), "name": c.name} for c in self.channels],
            "all_channels": {str(c.id): c.name for c in g.channels.values()},
            "roles": {
                str(r.id): {"name": r.name, "color": r.color}
                for r in g.roles.values()
                if r.id != g.id
            },
            "users": {str(m.id): m.user.global_name or m.user.username for m in g.members.values()},
            "people": [p.payload() for p in self.people],
        }


def build_demo_server(loopback: LoopbackDiscord) -> DemoServer:
    """Add the demo guild to the loopback: #general, #announcements, #events, people to act as.

    The loopback's standard guild already holds #general, #announcements, the Moderator role and
    a mentionable role; the fan role is that one, renamed before the bot hears of the guild.
    """

    def prepare(guild: GuildFixture) -> None:
        guild.system_channel_id = guild.general.id  # the welcome guide lands where people are
        guild.stans.name, guild.stans.color = "Lightstick Fans", FAN_ROLE_COLOR
        guild.moderator.user.global_name = "Mina (moderator)"

    guild = loopback.add_guild(GUILD_NAME, prepare=prepare)
    fan_role, mod = guild.stans, guild.moderator
    events = guild.add_channel("events")
    jiwoo = guild.add_member("jiwoo", roles=[fan_role], locale="ko")
    jiwoo.user.global_name = "Jiwoo"
    bia = guild.add_member("bia", roles=[fan_role], locale="pt-BR")
    bia.user.global_name = "Bia"
    people = (
        Person("moderator", mod, "Moderator", "America/New_York", "en-US"),
        Person("jiwoo", jiwoo, "Fan in Seoul", "Asia/Seoul", "ko"),
        Person("bia", bia, "Fan in São Paulo", "America/Sao_Paulo", "pt-BR"),
    )
    return DemoServer(
        guild=guild,
        channels=(guild.general, guild.announcements, events),
        fan_role=fan_role,
        people=people,
    )


def seed_x_accounts(fake: FakeX, handles: list[str]) -> None:
    """Give the fake X an account for every official handle the catalog knows."""
    for handle in handles:
        fake.add_user(handle.removeprefix("@"))
