"""Word lists and sentence templates for the sample site's generated prose.

Everything here is plain data; :mod:`.textgen` combines it with a seeded
``random.Random`` so the same seed always yields the same site. Topics are kept
lower-case (except proper nouns and acronyms) and title-cased where a heading
needs them.
"""
from __future__ import annotations

SITE_NAME = "Sample News"
SITE_TAGLINE = "Independent reporting on politics, business, science and culture"

# (display name, slug, short bio)
AUTHORS = [
    ("S Haynes", "s-haynes",
     "S Haynes covers diplomacy, defence and European security, and has reported from NATO summits since 2014."),
    ("Maria Delgado", "maria-delgado",
     "Maria Delgado writes about economic policy and labour markets, with a focus on Latin America and Southern Europe."),
    ("James Whitfield", "james-whitfield",
     "James Whitfield is a political correspondent who follows parliament, elections and the machinery of government."),
    ("Priya Raman", "priya-raman",
     "Priya Raman reports on technology companies, artificial intelligence and the regulation of online platforms."),
    ("Tomás Ortega", "tomas-ortega",
     "Tomás Ortega is a science writer covering space exploration, physics and the people behind big research projects."),
    ("Hannah Okafor", "hannah-okafor",
     "Hannah Okafor covers public health, hospitals and medical research for the health desk."),
    ("Daniel Brooks", "daniel-brooks",
     "Daniel Brooks is a business reporter focused on retail, energy markets and corporate earnings."),
    ("Lena Fischer", "lena-fischer",
     "Lena Fischer writes about climate policy, extreme weather and the transition to clean energy."),
    ("Marcus O’Neill", "marcus-oneill",
     "Marcus O’Neill is the arts editor, reviewing theatre, film and books and profiling working artists."),
    ("Aiko Tanaka", "aiko-tanaka",
     "Aiko Tanaka covers Asian markets, trade and supply chains from a base in Tokyo."),
    ("Rebecca Stone", "rebecca-stone",
     "Rebecca Stone is a data journalist who turns public datasets into stories about how people live and work."),
    ("Samuel Adeyemi", "samuel-adeyemi",
     "Samuel Adeyemi reports on African politics, development finance and international institutions."),
]

# Which staff usually write for which category (by author index).
CATEGORY_AUTHORS = {
    "world": [0, 11, 9, 2],
    "politics": [2, 0, 10, 11],
    "business": [6, 1, 9, 10],
    "technology": [3, 10, 6],
    "science": [4, 10, 5],
    "health": [5, 10, 4],
    "climate": [7, 4, 1],
    "arts-culture": [8, 10, 3],
}

# (name, slug, description)
CATEGORIES = [
    ("World", "world", "International news, diplomacy and conflict from every region."),
    ("Politics", "politics", "Elections, parliaments, governments and the people who run them."),
    ("Business", "business", "Companies, markets, work and the economy."),
    ("Technology", "technology", "The companies, products and rules shaping the digital world."),
    ("Science", "science", "Discoveries, research and the scientists behind them."),
    ("Health", "health", "Medicine, public health and health systems."),
    ("Climate", "climate", "Climate change, energy and the environment."),
    ("Arts & Culture", "arts-culture", "Books, film, music, theatre and ideas."),
]

# Per-category lexicon. "actors" are noun phrases that can start a sentence
# (plural unless noted by the template), "topics" are issues, "places" and
# "orgs" are proper nouns, "tags" are the tag names used by that category.
LEXICON = {
    "world": {
        "actors": ["diplomats", "foreign ministers", "alliance officials", "regional leaders",
                   "negotiators", "humanitarian agencies", "security analysts", "border officials",
                   "envoys", "defence planners", "opposition figures in exile", "aid workers"],
        "topics": ["the ceasefire talks", "border security", "the refugee response", "sanctions policy",
                   "the peace framework", "regional stability", "defence cooperation", "the trade corridor",
                   "maritime security", "the reconstruction plan", "arms control", "the hostage negotiations",
                   "alliance burden-sharing", "election monitoring", "the grain export deal"],
        "places": ["Brussels", "Nairobi", "Ankara", "Warsaw", "Doha", "Geneva", "Jakarta", "Kyiv",
                   "Cairo", "Tallinn", "Bogotá", "Addis Ababa", "Manila", "Vilnius"],
        "orgs": ["the United Nations", "NATO", "the African Union", "the European Commission",
                 "the Red Cross", "ASEAN", "the OSCE", "the World Food Programme"],
        "tags": ["Diplomacy", "NATO", "United Nations", "Sanctions", "Refugees", "Ceasefire",
                 "European Union", "Middle East", "Africa", "Asia-Pacific", "Defence", "Elections Abroad"],
        "audiences": ["border communities", "allied governments", "displaced families", "regional traders"],
    },
    "politics": {
        "actors": ["ministers", "opposition leaders", "backbench lawmakers", "party strategists",
                   "election officials", "committee chairs", "senior civil servants", "campaign staff",
                   "local councillors", "pollsters", "coalition partners", "constitutional lawyers"],
        "topics": ["the spending review", "electoral reform", "the housing bill", "party funding rules",
                   "the leadership contest", "devolution plans", "the budget vote", "lobbying disclosure",
                   "voter registration", "the coalition agreement", "planning reform", "the pensions package",
                   "the digital identity scheme", "public sector pay"],
        "places": ["Westminster", "Holyrood", "Ottawa", "Canberra", "Dublin", "Cardiff", "Wellington",
                   "Edinburgh", "Belfast", "Sacramento", "Albany", "Harrisburg"],
        "orgs": ["the Treasury", "the Electoral Commission", "the Public Accounts Committee",
                 "the Cabinet Office", "the High Court", "the National Audit Office", "the Senate",
                 "the Office for Budget Responsibility"],
        "tags": ["Parliament", "Elections", "Budget", "Housing", "Polling", "Campaign Finance",
                 "Local Government", "Public Services", "Constitution", "Leadership", "Policy", "Westminster"],
        "audiences": ["first-time voters", "renters", "public sector workers", "small councils"],
    },
    "business": {
        "actors": ["investors", "chief executives", "retailers", "bond traders", "manufacturers",
                   "union representatives", "small business owners", "analysts", "shareholders",
                   "central bankers", "logistics firms", "private equity funds"],
        "topics": ["interest rates", "the earnings season", "supply chain costs", "the merger review",
                   "wage growth", "consumer spending", "commercial property", "energy prices",
                   "the export outlook", "corporate debt", "four-day week trials", "store closures",
                   "the IPO pipeline", "shipping rates", "mergers & acquisitions"],
        "places": ["London", "Frankfurt", "Singapore", "New York", "Shanghai", "Toronto", "Dubai",
                   "Milan", "São Paulo", "Rotterdam", "Mumbai", "Chicago"],
        "orgs": ["the central bank", "the competition regulator", "the stock exchange",
                 "the IMF", "the OECD", "the chamber of commerce", "the pension regulator",
                 "the Financial Conduct Authority"],
        "tags": ["Markets", "Economy", "Interest Rates", "Retail", "Energy", "Jobs", "Trade",
                 "Earnings", "Banking", "Startups", "Mergers & Acquisitions", "Inflation"],
        "audiences": ["savers", "mortgage holders", "small exporters", "first-time buyers"],
    },
    "technology": {
        "actors": ["engineers", "platform companies", "privacy advocates", "chipmakers", "regulators",
                   "app developers", "security researchers", "startup founders", "content moderators",
                   "cloud providers", "open-source maintainers", "telecom operators"],
        "topics": ["AI safety rules", "data protection", "the chip shortage", "online age checks",
                   "cloud outages", "encryption standards", "the app store dispute", "open-source licensing",
                   "satellite broadband", "ransomware attacks", "content moderation", "battery supply",
                   "quantum computing", "the spectrum auction"],
        "places": ["Silicon Valley", "Shenzhen", "Bangalore", "Seattle", "Tel Aviv", "Dublin",
                   "Seoul", "Taipei", "Austin", "Helsinki", "Berlin", "Tallinn"],
        "orgs": ["the data protection authority", "the Federal Trade Commission",
                 "the European Commission", "the standards body", "the Linux Foundation",
                 "the telecoms regulator", "the national cyber centre", "the W3C"],
        "tags": ["Artificial Intelligence", "Privacy", "Cybersecurity", "Semiconductors", "Big Tech",
                 "Social Media", "Open Source", "Regulation", "Cloud", "Smartphones", "Startups & Venture", "5G"],
        "audiences": ["ordinary users", "small developers", "parents", "public agencies"],
    },
    "science": {
        "actors": ["researchers", "astronomers", "physicists", "field biologists", "geneticists",
                   "mission engineers", "oceanographers", "palaeontologists", "chemists",
                   "science funders", "laboratory teams", "peer reviewers"],
        "topics": ["the lunar lander mission", "gene editing trials", "dark matter searches",
                   "the deep-sea survey", "fusion experiments", "the fossil discovery", "antibiotic resistance",
                   "the telescope upgrade", "research funding", "the reproducibility debate",
                   "insect decline", "the Mars sample return", "particle collider plans", "coral genetics"],
        "places": ["Geneva", "Cape Canaveral", "Antarctica", "the Atacama Desert", "Hawaii",
                   "Cambridge", "Heidelberg", "Kyoto", "Boulder", "Svalbard", "Tenerife", "Perth"],
        "orgs": ["NASA", "the European Space Agency", "CERN", "the Royal Society",
                 "the National Science Foundation", "the Max Planck Society",
                 "the Wellcome Trust", "the academy of sciences"],
        "tags": ["Space", "Physics", "Biology", "Genetics", "Astronomy", "Oceans", "Fossils",
                 "Research Funding", "Chemistry", "Evolution", "Telescopes", "Scientific Method"],
        "audiences": ["early-career scientists", "science teachers", "amateur astronomers", "research students"],
    },
    "health": {
        "actors": ["doctors", "nurses", "health officials", "hospital managers", "patient groups",
                   "epidemiologists", "pharmacists", "clinical researchers", "care home operators",
                   "midwives", "GPs", "public health teams"],
        "topics": ["waiting lists", "the vaccine rollout", "mental health services", "drug pricing",
                   "the measles outbreak", "staff shortages", "long Covid clinics", "obesity treatments",
                   "antimicrobial stewardship", "the screening programme", "social care funding",
                   "hospital discharge delays", "heat-related illness", "the cancer strategy"],
        "places": ["Manchester", "Glasgow", "Boston", "Toronto", "Lagos", "Copenhagen", "Melbourne",
                   "Lyon", "Leeds", "Denver", "Auckland", "Bristol"],
        "orgs": ["the World Health Organization", "the health ministry", "the medicines regulator",
                 "the NHS", "the nursing union", "the public health agency", "the royal college",
                 "the Centers for Disease Control"],
        "tags": ["Public Health", "Hospitals", "Vaccines", "Mental Health", "NHS", "Medical Research",
                 "Nursing", "Drugs & Pricing", "Nutrition", "Ageing", "Infectious Disease", "Social Care"],
        "audiences": ["patients", "carers", "older people", "junior doctors"],
    },
    "climate": {
        "actors": ["climate scientists", "energy ministers", "farmers", "grid operators",
                   "campaigners", "insurers", "city planners", "utility companies", "fishing communities",
                   "carbon market traders", "water managers", "wildfire crews"],
        "topics": ["the emissions target", "offshore wind", "the heatwave response", "flood defences",
                   "carbon pricing", "the drought plan", "heat pump subsidies", "coastal erosion",
                   "the methane pledge", "grid storage", "climate finance", "deforestation",
                   "the coal phase-out", "electric vehicle charging"],
        "places": ["the Netherlands", "Bangladesh", "California", "the Sahel", "Queensland",
                   "the Alps", "Patagonia", "Norway", "the Nile Delta", "Texas", "Greenland", "Kenya"],
        "orgs": ["the UN climate secretariat", "the Met Office", "the energy regulator",
                 "the International Energy Agency", "the environment agency", "the IPCC",
                 "the national grid operator", "the climate change committee"],
        "tags": ["Climate Change", "Renewables", "Extreme Weather", "Net Zero", "Wildlife",
                 "Floods", "Carbon Markets", "Electric Vehicles", "Agriculture", "Water", "COP Talks", "Energy Transition"],
        "audiences": ["homeowners", "coastal towns", "farm workers", "commuters"],
    },
    "arts-culture": {
        "actors": ["critics", "curators", "festival directors", "publishers", "independent filmmakers",
                   "theatre producers", "museum staff", "booksellers", "composers", "streaming services",
                   "arts councils", "young writers"],
        "topics": ["the festival programme", "arts funding", "the museum reopening", "streaming royalties",
                   "the literary prize shortlist", "theatre ticket prices", "the restitution debate",
                   "the film slate", "public broadcasting", "the orchestra merger", "library closures",
                   "the biennale", "translated fiction", "the box office"],
        "places": ["Edinburgh", "Venice", "Cannes", "Berlin", "Toronto", "Hay-on-Wye", "Avignon",
                   "Kolkata", "Marrakech", "Austin", "Melbourne", "Salzburg"],
        "orgs": ["the arts council", "the national gallery", "the British Film Institute",
                 "the Booker Foundation", "the opera house", "the public broadcaster",
                 "the national theatre", "the museums association"],
        "tags": ["Books", "Film", "Theatre", "Music", "Museums", "Television", "Festivals",
                 "Visual Art", "Poetry", "Architecture", "Streaming", "Arts & Funding"],
        "audiences": ["audiences outside the capital", "emerging artists", "regular theatregoers", "readers"],
    },
}

ADJECTIVES = ["ambitious", "cautious", "long-awaited", "controversial", "sweeping", "modest",
              "far-reaching", "fragile", "unexpected", "phased", "landmark", "overdue", "bold",
              "contested", "pragmatic", "high-stakes", "quiet", "costly"]

ABSTRACT_NOUNS = ["momentum", "uncertainty", "scrutiny", "pressure", "resistance", "optimism",
                  "frustration", "confidence", "caution", "debate", "urgency", "fatigue"]

PAST_PHRASES = ["in recent weeks", "over the past year", "since the spring", "this month",
                "earlier this week", "last month", "after months of delay", "in the spring"]
FUTURE_PHRASES = ["in the coming months", "before the end of the year", "over the next decade",
                  "next year", "in the coming weeks", "for some time yet"]
SPAN_PHRASES = ["months", "the past year", "much of the year", "several weeks", "the better part of a decade"]
RECENT_PHRASES = ["recently", "this year", "the past few months", "the latest round of talks"]

HEDGES = ["It is too early to say", "It remains unclear", "Few expect to know soon",
          "Nobody can yet say with confidence", "The evidence so far does not settle"]

SPOKESPEOPLE = ["a senior official", "one adviser familiar with the talks", "a spokesperson",
                "a veteran observer", "one of the authors of the report", "an industry representative",
                "a local organiser", "a former minister"]

QUOTES = [
    "We are moving as fast as we responsibly can, and no faster",
    "Nobody should pretend this is simple",
    "The details matter more than the headlines",
    "This is a start, not a solution",
    "People want to see results, not more consultations",
    "We have been here before, and the lesson is to plan for setbacks",
    "The money is only useful if it reaches the right places",
    "There is a real appetite for change, but also a lot of fatigue",
    "You cannot fix a decade of underinvestment in a single budget",
    "The question is not whether, but how quickly",
]

# Sentence templates. Slots: {actor} {Actor} (capitalised) {topic} {topic2}
# {place} {org} {Org} {adj} {noun} {past} {future} {span} {recent} {num} {pct} {hedge} {speaker}
# {quote} {audience}
SENTENCES = [
    "{Actor} in {place} have spent {span} arguing over {topic}, and the disagreement shows little sign of fading.",
    "The debate over {topic} has moved from the margins to the centre of public life {past}.",
    "{Org} said on Tuesday that it would publish a fuller assessment of {topic} within {num} weeks.",
    "According to figures released {past}, spending linked to {topic} rose by {pct} per cent.",
    "For {audience}, the practical consequences of {topic} are likely to be felt long before any formal decision.",
    "Critics argue that the current approach to {topic} is {adj} at best and counterproductive at worst.",
    "“{quote},” said {speaker}, who asked not to be named because the discussions are ongoing.",
    "“{quote},” {speaker} told reporters in {place}.",
    "{hedge} whether the plan will survive contact with {topic2}.",
    "Much depends on how {actor} respond once the details of {topic} are made public.",
    "The proposal, described by supporters as {adj}, would change how work on {topic} is funded and overseen.",
    "Several {actor} said privately that they had been surprised by the speed of the shift.",
    "In {place}, the mood is one of {noun} rather than open opposition.",
    "That tension — between ambition and what is achievable — runs through almost every conversation about {topic}.",
    "{Org} has so far declined to comment on the specifics, saying only that its review is continuing.",
    "The numbers tell part of the story: roughly {pct} per cent of those surveyed said {topic} had affected them directly.",
    "Supporters point to {place} as evidence that a {adj} approach to {topic} can work.",
    "Yet the comparison has limits, because conditions in {place} differ in important ways.",
    "What happens next will depend heavily on {topic2}, where much remains unresolved.",
    "{Actor} have warned that without clearer guidance, {topic} could become a source of lasting {noun}.",
    "The timetable has already slipped once, and few people expect it to hold without further changes.",
    "There is broad agreement on the goal, if not on the route to reaching it.",
    "Behind the public statements, officials concede that managing {topic} has proved harder than expected.",
    "Some of the most detailed work on {topic} has come not from governments but from {actor}.",
    "A report published {past} concluded that {topic} and {topic2} can no longer be treated separately.",
    "The report’s authors called for a {adj} review within {num} months.",
    "Those closest to the process describe a mixture of {noun} and {noun2}.",
    "Even so, the direction of travel is clear: {topic} will remain on the agenda {future}.",
    "For now, {actor} are focused on the immediate task of keeping {topic} on track.",
    "Others see the moment as an opportunity rather than a threat, arguing that {topic} has been neglected for too long.",
    "The cost estimates vary widely, from a few hundred million to well over {num} billion.",
    "That uncertainty makes planning difficult for {audience}, who say they need clarity sooner rather than later.",
    "It is a familiar pattern: early enthusiasm, followed by a slower and more complicated reckoning with {topic}.",
    "{Actor} in {place} have already begun adapting, often without waiting for formal guidance.",
    "The most immediate question is whether {org} will use the powers it already has.",
    "Observers note that {topic} rarely attracted this much attention until {recent}.",
    "Polling suggests the public is divided, with about {pct} per cent backing the change and a similar share opposed.",
    "The shift has not gone unnoticed by {actor}, several of whom have published their own proposals.",
    "In practice, the success of any plan on {topic} will be judged by what it delivers on the ground.",
    "A spokesperson for {org} said the organisation “welcomed the discussion” but would not speculate on the outcome.",
    "The decision leaves {audience} facing another period of waiting.",
    "Few issues illustrate the trade-offs of modern policymaking as clearly as {topic}.",
    "Some experts caution that the data on {topic} is still patchy and that firm conclusions would be premature.",
    "The next milestone is a meeting in {place}, where {actor} are expected to set out their positions.",
    "Whatever the outcome, the episode has exposed how fragile the consensus on {topic} really is.",
    "{Actor} say the real test will come when the first results are published.",
    "Even modest changes to {topic} can have outsized effects on {audience}.",
    "The argument is no longer about whether to act on {topic}, but about who should pay.",
    "That is why {actor} have pushed for a phased approach, with reviews built in at each stage.",
    "The broader context matters too: {topic2} has shifted the calculations of almost everyone involved.",
]

INTRO_SENTENCES = [
    "{Actor} in {place} are weighing a {adj} shift in {topic}, a move that could reshape the debate {future}.",
    "A {adj} plan to overhaul {topic} has drawn both praise and sharp criticism, as {actor} try to make sense of what it will mean in practice.",
    "When {org} set out its thinking on {topic} this week, it ended months of speculation — and opened a new round of argument.",
    "The question of {topic} has returned to the top of the agenda, with {actor} warning that the window for a decision is narrowing.",
    "For {audience}, the latest turn in {topic} is more than an abstract policy debate.",
]

SUBTITLES = [
    "{Adj} Plans and Old Rivalries Collide as {Topic} Returns to the Agenda",
    "Why {Topic} Has Become a Test of Credibility for {Org_t}",
    "{Actor_t} Push for Clarity as {Topic} Dominates Talks in {place}",
    "The Stakes, the Players and the Numbers Behind {Topic}",
    "A {Adj} Shift With Consequences for {Audience_t}",
    "Questions Mount Over Cost, Timing and Accountability",
    "Supporters See Momentum; Critics See a Plan Without a Budget",
    "What the Latest Moves on {Topic} Mean for {Audience_t}",
]

TITLES = [
    "{Org_t} Unveils {Adj} Strategy on {Topic}",
    "{place} Weighs {Topic} as {Noun_t} Mounts",
    "What {Topic} Means for {Audience_t}",
    "Inside the Debate Over {Topic} in {place}",
    "{Actor_t} Push for Action on {Topic}",
    "How {Topic} Is Reshaping Life in {place}",
    "Experts Warn of Delays to {Topic}",
    "{place} Leaders Back {Adj} Approach to {Topic}",
    "The Hidden Costs of {Topic}",
    "{Actor_t} Divided Over {Topic} After {Org_t} Report",
    "Why {Topic} Could Define the Year Ahead",
    "{Topic} Faces New Scrutiny in {place}",
    "A {Adj} Bet on {Topic} Begins to Take Shape",
    "{Num_w} Questions About {Topic}, Answered",
    "{Org_t} Signals Rethink on {Topic}",
    "From {place} to {place2}: The Race Over {Topic}",
    "{Actor_t} Sound Alarm Over {Topic}",
    "Can {Topic} Survive the Next Budget?",
    "{Topic} Moves Up the Agenda in {place}",
    "After Months of Delay, {Topic} Gets a Deadline",
]

HEADINGS = [
    "Assessing {Topic}",
    "The Case for {Topic}",
    "Why {place} Matters",
    "Balancing {Topic} and {Topic2}",
    "What Comes Next for {Topic}",
    "Tradeoffs in {Topic}",
    "Reactions from {Actor_t}",
    "The Numbers Behind {Topic}",
    "Lessons from {place}",
    "Risks on the Horizon",
    "A Closer Look at {Topic}",
    "Where {Actor_t} Stand",
    "The Role of {Org_t}",
    "A Question of Timing",
    "Who Pays, and How Much",
    "The View from {place}",
    "How We Got Here",
    "Competing Priorities",
    "The Long Road to {Topic}",
    "What {Audience_t} Should Watch",
    "Unanswered Questions",
    "Pressure From Both Sides",
]

CLOSING_HEADINGS = [
    "Stay Informed on {Topic}",
    "Further Reading on {Topic}",
    "How to Follow the Story",
    "Where to Find Out More",
]

CLOSING_SENTENCES = [
    "To follow the latest developments on {topic}, consider reading official statements from {org} and the regular briefings published by {actor}.",
    "Independent research groups and specialist reporters in {place} often provide valuable context that headlines leave out.",
    "We will continue to report on {topic} as new information becomes available.",
    "Readers can also consult the original documents, which are publicly available, for the most authoritative account.",
]

TAKEAWAY_HEADINGS_LIST = [
    "Key Takeaways",
    "Key Takeaways on {Topic}",
    "Key Takeaways from the {Org_t} Report",
    "Main Takeaways",
    "Takeaways for {Audience_t}",
]

TAKEAWAY_HEADINGS_BOX = ["Key Takeaways", "Key Points", "At a Glance", "The Takeaway"]

TAKEAWAYS = [
    "{Actor} remain divided on how quickly to move on {topic}.",
    "{Org} is expected to publish further details {future}.",
    "The cost of {topic} is still disputed, with estimates varying widely.",
    "{Audience} are likely to feel the effects first.",
    "Experience in {place} suggests a phased approach works best.",
    "Public opinion is split, with roughly {pct} per cent in favour.",
    "The outcome depends heavily on {topic2}.",
    "Few expect a final decision before the end of the year.",
    "Supporters describe the plan as {adj}; critics call it incomplete.",
    "The next key meeting takes place in {place}.",
]

READER_NAMES = [
    "Jane Doe", "Peter K.", "Amelia Hart", "R. Gonzalez", "Oliver Grant", "Fatima Noor", "Chris P.",
    "Ingrid Larsen", "Mateo Ruiz", "Grace Liu", "Tom Hughes", "Nadia Haddad", "Ben Carter",
    "Sofia Rossi", "Kwame Mensah", "Élodie Martin", "Joe Bloggs", "Ruth Kaplan", "Arjun Mehta",
    "Claire O’Brien", "Dmitri V.", "Lucy Wren", "Hassan Ali", "Mary-Kate Dunn", "Yuki Sato",
    "Frank Miller", "Ana Sousa", "George E.", "Zoe Phillips", "Liam Byrne",
]

COMMENTS = [
    "Great analysis, though I think the piece underplays how long {topic} has been building.",
    "I live in {place} and can confirm the mood described here is accurate.",
    "Does anyone know when {org} is actually due to report? The article says {future} but that seems optimistic.",
    "Thanks for a balanced piece. Too much of the coverage of {topic} has been pure speculation.",
    "The section on costs is the most important part. Nobody seems willing to say who pays.",
    "I’m not convinced. We heard the same promises about {topic} five years ago.",
    "Really useful explainer — sharing this with my colleagues.",
    "Would love a follow-up on what this means for {audience}.",
    "The figure of {pct} per cent seems low to me. Is there a source for that?",
    "Interesting that {actor} are quoted so heavily but {audience} barely get a mention.",
    "Clear, calm and well sourced. More of this, please.",
    "This is exactly the kind of reporting that gets lost in the daily news cycle.",
]

REPLIES = [
    "Fair point, {parent}. I think the timing issue is underrated.",
    "Agreed with {parent} — the cost question is the whole story.",
    "{parent}, the report itself is linked from the official site, worth a read.",
    "I had the same reaction, {parent}, but the second half of the article changed my mind a bit.",
    "Not sure I agree, {parent}. The experience in {place} was quite different.",
    "Thanks {parent}, that’s a helpful addition.",
]

COMMENT_FOLLOWUPS = [
    "Either way, I’ll be watching what happens in {place}.",
    "Looking forward to the next piece on this.",
    "It would help to see the underlying data published in full.",
    "Still, credit where it is due: this is a step in the right direction.",
]

NUM_WORDS = ["Five", "Six", "Seven", "Eight", "Ten", "Three", "Four"]
