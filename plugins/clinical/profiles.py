"""The people's profile pages: one person.html page for every person in PEOPLE.

A Pelican generator (``get_generators`` hands it to Pelican); the people come from the plugin's
build state, loaded and checked at start-up.
"""

from __future__ import annotations

from pelican.generators import Generator


def make_generator(state):
    """A generator class writing a profile page for each person in ``state.people``."""

    class PeopleGenerator(Generator):
        #: Its output is only writer.write_file calls: a parallel build may share them out
        #: (sitetools/parallel.py; a person's page lists every article they wrote, the largest pages).
        writes_through_writer = True

        def generate_context(self) -> None:
            self.context["PEOPLE_LIST"] = list(state.people.values())

        def generate_output(self, writer) -> None:
            articles = self.context.get("articles", [])
            pages = self.context.get("pages", [])
            template = self.get_template("person")
            for person in state.people.values():
                written = [a for a in articles if person in getattr(a.review, "authors", ())]
                reviewed = [c for c in (*articles, *pages) if getattr(c.review, "reviewer", None) == person]
                writer.write_file(
                    person.save_as,
                    template,
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    person=person,
                    written=written,
                    reviewed=reviewed,
                )

    return PeopleGenerator
