"""Generated news-like corpora for the scale benchmark: no download, deterministic per seed.

Each document has ``sentences`` lines. About a fifth of them state one of a pool of shared
facts (in one of several wordings, sometimes with a different figure, which makes a conflict);
the rest are recombined from clause parts, names, verbs and numbers, so they are mostly
distinct from every other sentence in the corpus.
"""

from __future__ import annotations

import random
from pathlib import Path

ACQUIRERS = [
    "Northwind Systems",
    "Helix Dynamics",
    "Corvane Group",
    "Atlas Meridian",
    "Brightwater Holdings",
    "Solent Networks",
    "Quarry Labs",
    "Vantor Industries",
    "Pellham Capital",
    "Orison Health",
]
TARGETS = [
    "Lumen Robotics",
    "Cedar Analytics",
    "Talon Biotech",
    "Mireval Energy",
    "Kestrel Software",
    "Aurora Freight",
    "Tessel Media",
    "Juniper Payments",
    "Oakridge Foods",
    "Nimbus Security",
]
PEOPLE = [
    "Maria Okafor",
    "Daniel Reyes",
    "Priya Natarajan",
    "Thomas Becker",
    "Helen Park",
    "Samuel Adeyemi",
    "Laura Fischer",
    "Kenji Watanabe",
    "Amira Haddad",
    "Robert Lindqvist",
    "Sofia Marquez",
    "Ivan Petrov",
    "Grace Mensah",
    "Oliver Grant",
    "Yuki Tanaka",
    "Chloe Dubois",
    "Marcus Webb",
    "Nadia Rahman",
]
ROLES = [
    "chief executive",
    "chief financial officer",
    "board chair",
    "general counsel",
    "head of strategy",
    "lead analyst",
    "portfolio manager",
    "union representative",
    "senior economist",
    "founder",
]
PLACES = [
    "London",
    "Frankfurt",
    "Singapore",
    "Toronto",
    "Chicago",
    "Madrid",
    "Seoul",
    "Sydney",
    "Dublin",
    "Austin",
    "Zurich",
    "Nairobi",
    "Boston",
    "Lyon",
    "Osaka",
    "Denver",
]
REGULATORS = [
    "the Federal Trade Commission",
    "the European Commission",
    "the Competition and Markets Authority",
    "the Justice Department",
    "Japan's Fair Trade Commission",
    "Canada's Competition Bureau",
]
VERBS_SAY = [
    "said",
    "told reporters",
    "wrote in a memo",
    "argued",
    "noted",
    "warned",
    "added",
    "insisted",
    "suggested",
    "conceded",
    "explained",
    "claimed",
]
SUBJECTS = [
    "the merger",
    "the takeover",
    "the combined company",
    "the integration plan",
    "the financing package",
    "the shareholder vote",
    "the review",
    "the restructuring",
    "the supply agreement",
    "the product roadmap",
    "the pension scheme",
    "the cloud division",
    "the retail unit",
    "the licensing program",
    "the buyback",
    "the research budget",
    "the hiring freeze",
    "the dividend policy",
    "the bond issue",
    "the joint venture",
]
PREDICATES = [
    "would accelerate",
    "could delay",
    "might reshape",
    "will simplify",
    "should strengthen",
    "may weaken",
    "is expected to lift",
    "threatens to squeeze",
    "aims to expand",
    "promises to cut",
    "could unlock",
    "risks complicating",
    "is likely to boost",
    "would curb",
    "seeks to revive",
]
OBJECTS = [
    "margins in the second half",
    "demand for industrial sensors",
    "pricing across the region",
    "the company's debt load",
    "competition for engineers",
    "investment in new factories",
    "the backlog of customer orders",
    "earnings per share next year",
    "sales of consumer devices",
    "the cost of borrowing",
    "relations with suppliers",
    "growth in emerging markets",
    "its market share in logistics",
    "spending on data centers",
    "the outlook for small lenders",
    "returns for long-term investors",
    "exports to neighbouring countries",
    "the pace of automation",
]
TAILS = [
    "according to people familiar with the matter",
    "analysts at several banks estimated",
    "in a filing on {day}",
    "during a call with investors",
    "before markets opened in {place}",
    "at a conference in {place}",
    "despite objections from minority holders",
    "after months of talks",
    "as rivals weighed their options",
    "amid a broader slowdown",
    "in an interview on {day}",
    "while the shares rose {pct} percent",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "March 3", "April 18", "May 9", "June 27"]
OPENERS = [
    "Separately,",
    "Meanwhile,",
    "Still,",
    "In {place},",
    "Earlier this year,",
    "By contrast,",
    "For now,",
    "On {day},",
    "Last quarter,",
    "Critics say",
    "Supporters note that",
    "",
]

# Big word lists, so two filler sentences rarely share more than their topic words.
NOUNS = """account agency agenda airline alliance allowance analyst appetite approval architecture asset audit
backlog balance bank bargain battery benchmark bid blueprint bond bonus branch brand budget buyer cable campaign
capacity capital carrier cartel catalogue ceiling channel charter chip client climate coalition collateral
commodity compliance component consortium consumer contract copper council coupon credit currency customer
cycle database deadline debt default deficit delivery demand deposit design device dispute distributor dividend
doctrine downturn draft drought economy effort election employer engine equity estate exchange exposure facility
factory fee fleet forecast framework freight fuel fund gadget garage grant grid guidance harvest headquarters
hedge household import incentive index industry inflation infrastructure insurer interest inventory investor
invoice journal judge keyboard label labour landlord laptop lawsuit lease ledger lender levy license liquidity
loan lobby logistics loyalty machine magazine mandate manufacturer margin market merchant metal mill mine
mortgage network niche notebook office oil operator option order outlet output package panel partner patent
payroll pension pipeline platform policy portfolio premium price printer producer profit program property
prospect protocol publisher quota railway rate reactor rebate recession refinery regulator rent reserve
retailer revenue reward risk road royalty salary satellite savings scheme sector securities segment semiconductor
server settlement share shipment shortfall software spending stake startup steel stock strategy subsidiary
subsidy supplier surplus tariff tax terminal territory textile threshold ticket timber tower trade treaty
truck tuition turbine union utility valuation vehicle vendor venture voucher wage warehouse warranty wholesaler
workforce yield""".split()
VERBS = """accelerated acquired adjusted announced approved audited blocked boosted borrowed bought capped
challenged closed completed confirmed consolidated cut delayed delivered denied disclosed doubled dropped eased
expanded extended financed flagged froze halved hired imported increased invested launched leased lifted
lowered merged monitored negotiated offered opened outsourced paused pledged postponed priced promoted proposed
purchased raised rebuilt reduced refinanced rejected relocated renewed reorganized repaid reported restored
restructured resumed revised sold secured shipped slashed signed simplified sold split suspended tightened
trimmed tripled upgraded valued withdrew""".split()
ADJECTIVES = """aggressive annual bold cautious central cheaper competitive costly cross-border cyclical delicate
digital domestic dramatic early efficient electric emerging expensive fragile global gradual hidden hostile
independent industrial intense key large late lean local loyal major massive mature modest national narrow new
nimble offshore ongoing overseas premium private profitable public quarterly rapid rare regional remote rising
risky rural rural scarce seasonal secondary senior sharp slow small smart solid steady strategic strict strong
surprising sustainable temporary tight uneven unusual urban vast volatile weak wholesale""".split()
FIRST = """Maria Daniel Priya Thomas Helen Samuel Laura Kenji Amira Robert Sofia Ivan Grace Oliver Yuki Chloe Marcus
Nadia Peter Leila Omar Hannah Diego Ingrid Tariq Elena Victor Rosa Felix Mei Adrian Zara Lucas Fatima Henrik""".split()
LAST = """Okafor Reyes Natarajan Becker Park Adeyemi Fischer Watanabe Haddad Lindqvist Marquez Petrov Mensah Grant
Tanaka Dubois Webb Rahman Novak Costa Schmidt Alvarez Kowalski Nakamura Osei Brennan Moreau Ivanova Sato Hughes
Rossi Jensen Kapoor Duarte Hoffmann""".split()
CO_A = """Apex Birch Cobalt Delta Ember Falcon Granite Harbor Iris Jade Keystone Lark Maple Nova Onyx Pine Quartz
Raven Summit Tidal Umber Vertex Willow Zephyr""".split()
CO_B = """Logistics Foods Mining Telecom Pharma Motors Textiles Power Retail Airways Chemicals Insurance Steel
Semiconductors Shipping Media Bank Robotics""".split()
CITIES = """London Frankfurt Singapore Toronto Chicago Madrid Seoul Sydney Dublin Austin Zurich Nairobi Boston Lyon
Osaka Denver Lagos Lisbon Warsaw Mumbai Jakarta Houston Milan Oslo Vienna Prague Santiago Cairo Hanoi Perth""".split()


def _num(r: random.Random) -> str:
    return r.choice(
        [
            f"${r.randint(2, 950)} million",
            f"${r.randint(1, 40)}.{r.randint(1, 9)} billion",
            f"{r.randint(2, 60)} percent",
            f"{r.randint(120, 9800):,} jobs",
            f"{r.randint(2, 30)} stores",
            f"{r.randint(3, 24)} months",
            f"{r.randint(2, 400):,} customers",
        ]
    )


def _fill(r: random.Random, s: str) -> str:
    return s.format(place=r.choice(PLACES), day=r.choice(DAYS), pct=r.randint(1, 19))


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _company(r: random.Random) -> str:
    return f"{r.choice(CO_A)} {r.choice(CO_B)}"


def _np(r: random.Random) -> str:
    """A noun phrase: adjective, noun, sometimes 'of' another noun."""
    head = f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
    return head if r.random() < 0.5 else f"{head} {r.choice(['of', 'for', 'in'])} the {r.choice(NOUNS)}"


def _filler(r: random.Random, acq: str, tgt: str) -> str:
    """A sentence built from random parts of big word lists: mostly distinct from every other one."""
    shape = r.randrange(5)
    who = _person(r)
    company = r.choice([acq, tgt, _company(r), _company(r), _company(r)])
    place, day = r.choice(CITIES), r.choice(DAYS)
    if shape == 0:
        s = f"{who} {r.choice(VERBS_SAY)} that the {_np(r)} {r.choice(VERBS)} the {_np(r)}"
    elif shape == 1:
        s = f"In {place}, {company} {r.choice(VERBS)} its {_np(r)} after the {_np(r)} {r.choice(VERBS)} the {r.choice(NOUNS)}"
    elif shape == 2:
        s = f"{company} {r.choice(VERBS)} {_num(r)} of {_np(r)} on {day}"
    elif shape == 3:
        s = f"The {_np(r)} at {company} {r.choice(VERBS)} a {_np(r)}, {who} {r.choice(VERBS_SAY)}"
    else:
        s = f"{r.choice(OPENERS).format(place=place, day=day) or 'Meanwhile,'} the {_np(r)} {r.choice(VERBS)} the {_np(r)} while {company} {r.choice(VERBS)} {r.choice(['its', 'a', 'the'])} {r.choice(NOUNS)}"
    return s[0].upper() + s[1:] + "."


def _facts(r: random.Random, acq: str, tgt: str, count: int) -> list[list[tuple]]:
    """A pool of distinct facts about one deal (each its own person, place, asset and figure), in three wordings."""
    nouns = r.sample(NOUNS, count)
    facts = []
    for k in range(count):
        noun, place, who = nouns[k], r.choice(CITIES), _person(r)
        verb = r.choice(VERBS)
        kind = k % 4
        if kind == 0:
            ws = [
                f"{acq} will pay ${{a}} million for the {noun} business of {tgt} in {place}, {who} said.",
                f"The {place} {noun} unit of {tgt} goes to {acq} for ${{a}} million, according to {who}.",
                f"{who} put the price of the {noun} operation in {place} at ${{a}} million.",
            ]
        elif kind == 1:
            ws = [
                f"About {{j:,}} {noun} jobs in {place} will go after the merger, {who} said.",
                f"The combined company plans to cut {{j:,}} positions in its {place} {noun} division.",
                f"{who} expects roughly {{j:,}} {noun} jobs in {place} to be eliminated.",
            ]
        elif kind == 2:
            ws = [
                f"{tgt}'s {noun} revenue in {place} {verb} {{p}} percent last year, {who} noted.",
                f"Last year {tgt} saw its {place} {noun} sales change by {{p}}%.",
                f"In {place}, the {noun} business of {tgt} {verb} {{p}} percent in the past year.",
            ]
        else:
            ws = [
                f"{who} will lead the {noun} integration in {place} once the deal closes.",
                f"The {place} {noun} integration is to be run by {who}.",
                f"After closing, {who} takes charge of integrating the {noun} teams in {place}.",
            ]
        price, jobs, pct = r.randint(20, 900), r.randint(200, 5000), r.randint(5, 45)
        facts.append([(w, price, jobs, pct) for w in ws])
    return facts


def make_corpus(
    docs: int, sentences: int = 50, seed: int = 0, deal: tuple[str, str] | None = None, facts: int = 60
) -> list[str]:
    """``docs`` article texts of ``sentences`` lines each (the first line a title), about one deal
    (acquirer, target; the first of each list by default), each stating 8 facts of a pool of ``facts``."""
    r = random.Random(seed)
    acq, tgt = deal or (ACQUIRERS[0], TARGETS[0])
    pool = _facts(r, acq, tgt, facts)
    out = []
    for d in range(docs):
        lines = [
            f"{acq} to buy {tgt}: {r.choice(['what it means', 'the details', 'analysis', 'live updates'])} ({d + 1})"
        ]
        stated = r.sample(range(len(pool)), 8)
        body = []
        for k in stated:
            wording, price, jobs, pct = r.choice(pool[k])
            if r.random() < 0.15:  # another figure for the same fact: a conflict
                price, jobs, pct = price + r.randint(5, 50), jobs + r.randint(50, 500), pct + r.randint(1, 6)
            body.append(wording.format(a=price, j=jobs, p=pct))
        while len(body) < sentences - 1:
            body.append(_filler(r, acq, tgt))
        r.shuffle(body)
        lines += body
        out.append("\n\n".join(lines) + "\n")
    return out


def write_corpus(directory: Path, docs: int, sentences: int = 50, seed: int = 0) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(make_corpus(docs, sentences, seed)):
        (directory / f"article_{i:04d}.txt").write_text(text, encoding="utf-8")
    return directory


if __name__ == "__main__":
    import sys

    for text in make_corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        print(text)
