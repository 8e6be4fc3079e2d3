"""Deterministic fictional people: names, ID numbers, phones, households and their tags.

Everything is drawn from one `random.Random(seed)`, in a fixed order, so the same seed gives
the same people. Nothing here touches the database.
"""

import datetime
from dataclasses import dataclass, field

from residents.idcard import check_char

from . import data


@dataclass
class Person:
    name: str
    gender: str
    birth_date: datetime.date
    id_number: str
    phone: str
    relation: str
    tags: set = field(default_factory=set)
    notes: str = ""
    status: str = "living"
    # Where the person lives, kept only for the two demo resident accounts' claimed address.
    building: object = None
    room: str = ""

    @property
    def age(self):
        ref = data.REFERENCE_DATE
        return (
            ref.year
            - self.birth_date.year
            - ((ref.month, ref.day) < (self.birth_date.month, self.birth_date.day))
        )


class PeopleGenerator:
    def __init__(self, rng, *, area_code):
        self.rng = rng
        self.area_code = area_code
        self._id_numbers = set()

    # -- atoms --------------------------------------------------------------------------------

    def given_name(self, gender, birth_year):
        generation = "old" if birth_year < 1970 else "young"
        chars = data.GIVEN_CHARS[(generation, gender)]
        if self.rng.random() < 0.3:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def birth_date(self, age):
        year = data.REFERENCE_DATE.year - age - 1
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def id_number(self, birth_date, gender, area_code):
        """Checksum-valid; the 17th digit is odd for men. Unique within the run."""
        parity = 1 if gender == "male" else 0
        born = birth_date.strftime("%Y%m%d")
        while True:
            first17 = f"{area_code}{born}{self.rng.randrange(500) * 2 + parity:03d}"
            number = first17 + check_char(first17)
            if number not in self._id_numbers:
                self._id_numbers.add(number)
                return number

    def mobile(self):
        # The last eight digits never start with 0, so no generated number can equal the
        # demo accounts' 1390000000x.
        return self.rng.choice(data.MOBILE_PREFIXES) + str(
            self.rng.randrange(10_000_000, 100_000_000)
        )

    def landline(self):
        return f"021-{self.rng.randrange(5000_0000, 6999_9999)}"

    def person(self, *, surname, gender, age, relation, area_code):
        born = self.birth_date(age)
        has_phone = (16 <= age <= 75 and self.rng.random() < 0.92) or (
            age > 75 and self.rng.random() < 0.5
        )
        return Person(
            name=surname + self.given_name(gender, born.year),
            gender=gender,
            birth_date=born,
            id_number=self.id_number(born, gender, area_code),
            phone=self.mobile() if has_phone else "",
            relation=relation,
        )

    # -- households ---------------------------------------------------------------------------

    def household_size(self):
        # Shanghai's mean household is about 2.3–2.5 people; many elderly couples and singles.
        return self.rng.choices((1, 2, 3, 4, 5), weights=(24, 32, 25, 12, 7))[0]

    def head_age(self, style):
        old_heavy = style in ("old", "mid")
        low, high = (45, 88) if old_heavy else (28, 80)
        return int(self.rng.triangular(low, high, 66 if old_heavy else 45))

    def household(self, *, size, style, flags):
        """The members of one household, head first, with their identity tags set."""
        rng = self.rng
        area = rng.choice(data.MIGRANT_AREA_CODES) if "外来人口" in flags else self.area_code
        head_gender = "male" if rng.random() < 0.62 else "female"
        head_age = self.head_age(style)
        if "外来人口" in flags:
            head_age = rng.randint(24, 50)
        surname = rng.choice(data.SURNAMES)
        head = self.person(
            surname=surname, gender=head_gender, age=head_age, relation="head", area_code=area
        )
        members = [head]
        if size >= 2:
            if rng.random() < 0.85:
                spouse_gender = "female" if head_gender == "male" else "male"
                spouse_age = max(20, head_age + rng.randint(-5, 3))
                members.append(
                    self.person(
                        surname=rng.choice(data.SURNAMES),
                        gender=spouse_gender,
                        age=spouse_age,
                        relation="spouse",
                        area_code=area,
                    )
                )
            elif head_age < 60:
                parent_age = min(98, head_age + rng.randint(24, 32))
                members.append(
                    self.person(
                        surname=surname,
                        gender="female" if rng.random() < 0.6 else "male",
                        age=parent_age,
                        relation="parent",
                        area_code=area,
                    )
                )
        while len(members) < size:
            child_age = head_age - rng.randint(24, 34)
            if child_age >= 0:
                members.append(
                    self.person(
                        surname=surname,
                        gender=rng.choice(("male", "female")),
                        age=child_age,
                        relation="child",
                        area_code=area,
                    )
                )
            else:
                members.append(
                    self.person(
                        surname=surname,
                        gender=rng.choice(("male", "female")),
                        age=min(98, head_age + rng.randint(24, 32)),
                        relation="parent",
                        area_code=area,
                    )
                )
        if size == 1 and head_age >= 60 and rng.random() < 0.15:
            head.notes = rng.choice(data.RESIDENT_NOTES[:3])
        self._tag(members, flags)
        return members

    def household_flags(self, community_type):
        """Household-wide identity tags, weighted by the kind of community."""
        rng = self.rng
        flags = set()
        relocation = {"动迁安置小区": 0.7, "村改居": 0.45}.get(community_type, 0.03)
        if rng.random() < relocation:
            flags.add("动迁户")
        migrant = {"村改居": 0.3, "保障房小区": 0.12}.get(community_type, 0.08)
        if "动迁户" not in flags and rng.random() < migrant:
            flags.add("外来人口")
        subsistence = 0.06 if community_type == "保障房小区" else 0.012
        if rng.random() < subsistence:
            flags.add("低保户")
        return flags

    def _tag(self, members, flags):
        rng = self.rng
        alone = len(members) == 1
        for p in members:
            age = p.age
            p.tags.update(flags)
            if age >= 18 and rng.random() < (0.14 if age >= 60 else 0.08):
                p.tags.add("党员")
                if 22 <= age < 60 and rng.random() < 0.5:
                    p.tags.add("在职党员")
            retired_age = age >= 60 or (p.gender == "female" and age >= 55)
            if retired_age and "外来人口" not in flags:
                p.tags.add("退休")
            if alone and age >= 60:
                p.tags.add("独居老人")
            if age >= 80:
                p.tags.add("高龄老人")
            disabled = rng.random() < 0.025
            if disabled:
                p.tags.add("残疾人")
            if p.gender == "male" and age >= 40 and rng.random() < 0.03:
                p.tags.add("退役军人")
            # Services follow from needs.
            if age >= 70 and rng.random() < (0.5 if alone else 0.18):
                p.tags.add("助餐")
            if (alone and age >= 60 and rng.random() < 0.8) or (age >= 80 and rng.random() < 0.3):
                p.tags.add("上门探访")
            if rng.random() < 0.01:
                p.tags.add("心理疏导")
            if (disabled and age >= 60 and rng.random() < 0.4) or (
                age >= 85 and rng.random() < 0.1
            ):
                p.tags.add("助浴")
            if age >= 60 and rng.random() < 0.55:
                p.tags.add("家庭医生签约")
            if disabled and rng.random() < 0.5:
                p.tags.add("康复辅助")
            # Follow-ups the community runs.
            if (alone and age >= 80 and rng.random() < 0.3) or rng.random() < 0.008:
                p.tags.add("重点关注")
            if (disabled and rng.random() < 0.4) or rng.random() < 0.04:
                p.tags.add("定期回访")
            if "低保户" in flags and rng.random() < 0.3:
                p.tags.add("困难帮扶")
            if p.notes == "" and rng.random() < 0.01:
                p.notes = rng.choice(data.RESIDENT_NOTES[3:])
            if rng.random() < 0.01:
                p.status = "moved_out"
