"""narrative: the wording of the report as markdown templates over the facts, rendered to HTML."""
from disclosure.narrative.render import Section, render_narrative
from disclosure.narrative.sections import SectionDef, default_wording, section_defs

__all__ = ["Section", "SectionDef", "default_wording", "render_narrative", "section_defs"]
