# ruff: noqa: E501  (the prompt table reads best one question per line)
"""The hand-written trivia prompts, accepted spellings and category map for build_trivia.py.

Every prompt keeps the fact's qualifiers ("K-pop girl group", "Korean soloist", "debut song"),
puts the year in the question, words records as records, and has distractors that cannot also
be right (a later achiever is ruled out by the date).
"""

from __future__ import annotations

from typing import Any

CATEGORY_MAP = {
    "twitter_spaces": "x_spaces",
    "twitter_records": "x_spaces",
    "billboard_hot100": "charts",
    "billboard_200": "charts",
    "billboard_other": "charts",
    "uk_charts": "charts",
    "grammys": "awards",
    "awards": "awards",
    "awards_shows": "awards",
    "festivals": "festivals",
    "concerts": "tours_stadiums",
    "youtube": "youtube_streaming",
    "streaming": "youtube_streaming",
    "certifications": "sales",
    "sales": "sales",
    "japan": "japan",
    "un_diplomacy": "world_stage",
    "sports_events": "world_stage",
    "tv": "tv",
    "pioneers": "pioneers",
}

ACCEPTED: dict[str, list[str]] = {
    "BTS": ["Bangtan Boys", "Bangtan Sonyeondan", "방탄소년단"],
    "BLACKPINK": ["Black Pink", "블랙핑크"],
    "TWICE": ["트와이스"],
    "PSY": ["Park Jae-sang", "싸이"],
    "BoA": ["Kwon BoA", "보아"],
    "Wonder Girls": ["원더걸스"],
    "Girls' Generation": ["SNSD", "소녀시대"],
    "TVXQ": ["Tohoshinki", "DBSK", "Dong Bang Shin Ki", "동방신기"],
    "BIGBANG": ["Big Bang", "빅뱅"],
    "Jimin (BTS)": ["Jimin", "지민"],
    "Lisa (BLACKPINK)": ["Lisa", "LALISA", "리사"],
    "Rosé (BLACKPINK)": ["Rosé", "Rose", "로제"],
    "Jennie (BLACKPINK)": ["Jennie", "제니"],
    "Jung Kook (BTS)": ["Jung Kook", "Jungkook", "정국"],
    "j-hope (BTS)": ["j-hope", "제이홉"],
    "TOMORROW X TOGETHER (TXT)": ["TXT", "TOMORROW X TOGETHER", "투모로우바이투게더"],
    "SEVENTEEN": ["SVT", "세븐틴"],
    "Stray Kids": ["SKZ", "스트레이 키즈"],
    "NewJeans": ["뉴진스"],
    "ILLIT": ["아일릿"],
    "IU": ["Lee Ji-eun", "아이유"],
    "EXO": ["엑소"],
    "KARA": ["카라"],
    "SHINee": ["샤이니"],
    "Super Junior": ["SJ", "슈퍼주니어"],
    "Rain": ["Bi", "Jung Ji-hoon", "비"],
    "CL (2NE1)": ["CL", "씨엘"],
    "Sandara Park (2NE1)": ["Sandara Park", "Dara", "산다라박"],
    "BamBam (GOT7)": ["BamBam", "뱀뱀"],
    "MONSTA X": ["몬스타엑스"],
    "Red Velvet": ["레드벨벳"],
    "ATEEZ": ["에이티즈"],
    "Epik High": ["에픽하이"],
    "H.O.T.": ["HOT", "에이치오티"],
    "Shinhwa": ["신화"],
    "Seo Taiji and Boys": ["Seotaiji and Boys", "서태지와 아이들"],
    "FIFTY FIFTY": ["피프티피프티"],
    "LE SSERAFIM": ["르세라핌"],
    "KCON (#KCON:TACT)": ["KCON", "KCON:TACT"],
    "SuperM": ["슈퍼엠"],
    "NCT": ["엔시티"],
}

# id -> prompt, with optional "answer"/"distractors" overrides where the shared wording would
# make the button ambiguous or a distractor arguable.
Q: dict[str, dict[str, Any]] = {
    "F001": {
        "prompt": "As of mid-2021, whose Q&A Space on June 9, 2021 held the record for the most-listened-to Twitter Space since Spaces launched?"
    },
    "F002": {
        "prompt": "In March 2021, during the Spaces beta, which act became the first K-pop artist to host a Twitter Space?"
    },
    "F003": {
        "prompt": "In 2021, which K-pop act set the record for the most-listened-to Twitter Space before Spaces launched to the public?"
    },
    "F004": {
        "prompt": "In June 2021, which act became the first K-pop girl group to host a Twitter Space, an after-party for a comeback premiere?"
    },
    "F005": {
        "prompt": "In March 2021, who became the first K-pop artist to join a Twitter Space as a Speaker, hosting a Q&A with fans?"
    },
    "F006": {
        "prompt": "In 2021, which K-pop brand's #KCON:TACT became the first series of K-pop talk shows on Twitter Spaces?",
        "answer": "KCON (#KCON:TACT)",
    },
    "F007": {
        "prompt": "Which of these acts had a Space among the five most-listened-to Twitter Spaces worldwide in the first half of 2021 (Jan 1 - Jun 30)?",
        "answer": "TWICE",
        "act_ids": ["twice"],
    },
    "F008": {
        "prompt": "In 2009, which act became the first Korean act to enter the Billboard Hot 100?"
    },
    "F009": {
        "prompt": "In 2020, which act became the first all-South Korean act to reach No. 1 on the Billboard Hot 100?"
    },
    "F010": {
        "prompt": "In November 2020, which act scored the first Billboard Hot 100 No. 1 sung predominantly in Korean?"
    },
    "F011": {
        "prompt": "In November 2020, Billboard called which act the first group in history with multiple No. 1 debuts on the Hot 100?"
    },
    "F012": {
        "prompt": "In 2018, which act became the first K-pop act to reach No. 1 on the Billboard 200 albums chart?"
    },
    "F013": {
        "prompt": "In 2022, which act became the first K-pop girl group to reach No. 1 on the Billboard 200 albums chart?"
    },
    "F014": {
        "prompt": "In 2009, who became the first Korean singer to enter the Billboard 200 albums chart?"
    },
    "F015": {
        "prompt": "In 2019, which act's music video became the first by a K-pop group to reach one billion YouTube views?"
    },
    "F016": {
        "prompt": "In 2019, which act became the first K-pop girl group to earn an RIAA Gold certification?"
    },
    "F017": {
        "prompt": "In 2019, which act became the first K-pop group to earn a BPI (UK) certification for a single?"
    },
    "F018": {
        "prompt": "In October 2020, which act became the first girl group to reach No. 1 on Billboard's Artist 100 chart?"
    },
    "F019": {
        "prompt": "In November 2020, which act became the first K-pop act to receive a Grammy nomination?"
    },
    "F020": {
        "prompt": "In March 2021, which act became the first K-pop act to perform its own stage at the Grammy Awards?"
    },
    "F021": {
        "prompt": "In February 2019, which act became the first K-pop group to present an award at the Grammys?"
    },
    "F022": {
        "prompt": "In 2020, which act became the first South Korean act nominated at all three major U.S. music awards (Grammys, BBMAs, AMAs)?"
    },
    "F023": {
        "prompt": "In 2019, which act became the first K-pop girl group to perform at Coachella?"
    },
    "F024": {"prompt": "In 2023, which act became the first K-pop act to headline Coachella?"},
    "F025": {
        "prompt": "In July 2023, which act became the first K-pop act to headline London's BST Hyde Park festival?",
        "distractors": ["BTS", "SEVENTEEN", "EXO"],
    },
    "F026": {"prompt": "In 2016, which act became the first K-pop group to perform at Coachella?"},
    "F027": {
        "prompt": "In September 2018, which act became the first K-pop group to address the United Nations?"
    },
    "F028": {
        "prompt": "In December 2012, whose music video became the first video of any kind to reach one billion YouTube views?"
    },
    "F029": {
        "prompt": "In June 2019, which act became the first Korean act to perform at London's Wembley Stadium?"
    },
    "F030": {
        "prompt": "In April 2019, which act became the first Korean act to reach No. 1 on the UK Official Albums Chart?"
    },
    "F031": {
        "prompt": "In October 2018, which act became the first Korean act to headline a stadium concert in the United States?"
    },
    "F032": {
        "prompt": "In May 2022, which act became the first K-pop girl group to hold a stadium concert in the United States?"
    },
    "F033": {
        "prompt": "In June 2023, which act became the first girl group to perform at and sell out Los Angeles' SoFi Stadium?"
    },
    "F034": {
        "prompt": "In 2017, Guinness World Records named which act as having the most Twitter engagements for a music group?"
    },
    "F035": {
        "prompt": "In November 2017, which act became the first Korean boy band to perform at the American Music Awards?"
    },
    "F036": {
        "prompt": "In April 2019, which act became the first South Korean act to perform on NBC's 'Saturday Night Live'?"
    },
    "F037": {
        "prompt": "In May 2017, which act became the first K-pop group to win a Billboard Music Award?"
    },
    "F038": {
        "prompt": "In November 2021, which act became the first Asian act to win Artist of the Year at the American Music Awards?"
    },
    "F039": {
        "prompt": "In 2016, who became the first Korean female solo artist to enter the Billboard Hot 100?"
    },
    "F040": {
        "prompt": "In April 2023, who became the first South Korean solo artist to reach No. 1 on the Billboard Hot 100?"
    },
    "F041": {
        "prompt": "In 2019, which act became the first Korean act to debut at No. 1 on the Billboard 200 with its debut release?"
    },
    "F042": {
        "prompt": "In December 2024, which act became the first in Billboard 200 history to debut at No. 1 with each of its first six charting albums?"
    },
    "F043": {
        "prompt": "In August 2022, who became the first K-pop solo artist to win an MTV Video Music Award?"
    },
    "F044": {
        "prompt": "In August 2022, which act became the first female K-pop act to perform at the MTV Video Music Awards?"
    },
    "F045": {
        "prompt": "In July 2022, which act became the first K-pop group to perform at Lollapalooza in Chicago?"
    },
    "F046": {
        "prompt": "In August 2023, which act became the first K-pop group to headline Lollapalooza in Chicago?"
    },
    "F047": {
        "prompt": "In July 2022, who became the first South Korean artist to headline a main stage at a major U.S. music festival?"
    },
    "F048": {
        "prompt": "In August 2023, which act became the first female K-pop group to perform at Lollapalooza in Chicago?"
    },
    "F049": {
        "prompt": "In 2012, who became the first South Korean artist to reach No. 1 on the UK Official Singles Chart?"
    },
    "F050": {
        "prompt": "In 2011, which act became the first Korean act to win an MTV Europe Music Award?"
    },
    "F051": {
        "prompt": "At the first-ever YouTube Music Awards in 2013, which act's music video won Video of the Year?"
    },
    "F052": {
        "prompt": "In 2002, whose Japanese debut album became the first record by a Korean artist to reach No. 1 on Japan's Oricon Albums Chart?"
    },
    "F053": {
        "prompt": "In January 2013, which act became the first Korean girl group to hold a concert at the Tokyo Dome?"
    },
    "F054": {
        "prompt": "In October 2008, which act became the first non-Japanese artist to score four No. 1 singles on Oricon's weekly singles chart?"
    },
    "F055": {"prompt": "In 2010, who became the first Korean to win an MTV Movie Award?"},
    "F056": {
        "prompt": "In November 2023, which act became the first K-pop act to speak at the UNESCO Youth Forum in Paris?"
    },
    "F057": {
        "prompt": "In June 2024, which act became the first K-pop act to perform at the Glastonbury Festival?"
    },
    "F058": {
        "prompt": "In 2024, which act became the first K-pop girl group with a song past one billion Spotify streams?"
    },
    "F059": {
        "prompt": "In April 2024, which act became the first K-pop boy group to perform at Coachella?"
    },
    "F060": {
        "prompt": "In 2018, which act became the first K-pop group to join iHeartRadio's Jingle Ball Tour as a touring act?"
    },
    "F061": {
        "prompt": "In July 2019, which act became the first K-pop act to hold a concert in Saudi Arabia?"
    },
    "F062": {
        "prompt": "In April 2023, Guinness World Records named which act's channel the most-viewed music channel on YouTube?"
    },
    "F063": {
        "prompt": "In 2022, which act became the first female K-pop act to reach No. 1 on both the main UK and U.S. album charts?"
    },
    "F064": {
        "prompt": "In January 2025, whose song became the first No. 1 on Billboard's Pop Airplay chart by a prominent K-pop act, according to Billboard?"
    },
    "F065": {
        "prompt": "In 2023, which act became the first K-pop girl group to appear on Billboard's year-end Hot 100?"
    },
    "F066": {
        "prompt": "In September 2022, who became the first Korean female singer to hold a concert at Seoul's Olympic Main Stadium?"
    },
    "F067": {
        "prompt": "Which act, debuting in 1996, was the first boy band in Korea to achieve megastar status and international fame?"
    },
    "F068": {
        "prompt": "In 2012, which act became the first Korean boy band to keep performing as a group after its members' mandatory military service?"
    },
    "F069": {
        "prompt": "In August 2020, whose music video set the Guinness World Records title for the most viewed YouTube music video in 24 hours?"
    },
    "F070": {
        "prompt": "In July 2023, which act became the first K-pop act to headline Lollapalooza Paris?"
    },
    "F071": {
        "prompt": "In July 2024, which act headlined I-Days Milan and BST Hyde Park in London, a first for a K-pop boy group?"
    },
    "F072": {
        "prompt": "In September 2021, whose music video set the Guinness World Records title for the most viewed YouTube music video by a solo artist in 24 hours?"
    },
    "F073": {
        "prompt": "In 2021, who became the first artist to reach No. 1 on a Billboard Global chart both as a soloist and as part of a group, per Guinness World Records?"
    },
    "F074": {
        "prompt": "In August 2013, which act became the first non-Japanese act to hold a solo concert at Yokohama's Nissan Stadium?"
    },
    "F075": {
        "prompt": "In 2013, whose first studio album became the first album in 12 years to sell one million copies in South Korea?"
    },
    "F076": {
        "prompt": "In November 2018, which act did its agency call the only K-pop act debuting after 2000 to pass 10 million cumulative album sales?"
    },
    "F077": {
        "prompt": "In April 2018, which K-pop girl group performed in Pyongyang at 'Spring Is Coming', the first concert by South Korean musicians in North Korea in 16 years?"
    },
    "F078": {
        "prompt": "In 2014, whose video became the first YouTube video to reach two billion views?"
    },
    "F079": {
        "prompt": "In 2017, which act became the first foreign artist to hold a dome tour in Japan five years in a row?"
    },
    "F080": {
        "prompt": "In July 2024, which act became the first K-pop girl group to hold a concert at Yokohama's Nissan Stadium, Japan's largest?"
    },
    "F081": {
        "prompt": "In November 2023, which act gave Australia's first K-pop stadium concert, at Melbourne's Marvel Stadium?"
    },
    "F082": {
        "prompt": "Which act's 1992 debut single 'I Know' (Nan Arayo) set a record of 17 consecutive weeks at No. 1?"
    },
    "F083": {
        "prompt": "In November 2023, which act became the first K-pop girl group to perform at the Billboard Music Awards?"
    },
    "F084": {
        "prompt": "In March 2024, which act became the first K-pop act to win Group of the Year at the Billboard Women in Music Awards?"
    },
    "F085": {
        "prompt": "In March 2023, who became the first Korean soloist to reach No. 1 on Spotify's global chart?"
    },
    "F086": {
        "prompt": "In April 2024, which act was named the second K-pop girl group on an official Coachella lineup, after BLACKPINK?",
        "distractors": ["IVE", "NewJeans", "ITZY"],
    },
    "F087": {
        "prompt": "In June 2011, which act became the first Asian artists to give a live performance at London's Abbey Road Studios?"
    },
    "F088": {
        "prompt": "In 2022, who became the first South Korean singer to release an official FIFA World Cup song?"
    },
    "F089": {
        "prompt": "In April 2024, which act's debut song became the first by a K-pop act to enter the UK Official Singles Chart?"
    },
    "F090": {
        "prompt": "In April 2024, which act became the first K-pop group to enter the Billboard Hot 100 with its debut song?"
    },
    "F091": {
        "prompt": "In March 2021, which act became the first Korean artist nominated for a BRIT Award?"
    },
    "F092": {
        "prompt": "In June 2011, which act became the first Korean girl group to top Japan's Oricon weekly album chart?"
    },
    "F093": {
        "prompt": "In September 2025, who became the first K-pop artist to win Song of the Year at the MTV Video Music Awards?"
    },
    "F094": {
        "prompt": "In September 2024, who became the first soloist to win the MTV VMA for Best K-Pop twice?"
    },
    "F095": {
        "prompt": "Which act starred in a 2012 TeenNick TV movie that JYP billed as the first time Asian artists had a TV movie airing in the U.S.?"
    },
    "F096": {
        "prompt": "In 2023, who became the first K-pop soloist with a song past one billion Spotify streams?",
        "distractors": ["IU", "Jimin (BTS)", "Rosé (BLACKPINK)"],
    },
    "F097": {
        "prompt": "In early 2024, who became the first female K-pop solo singer with a music video past one billion YouTube views?"
    },
}
