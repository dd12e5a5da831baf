"""narrative: the wording of the report as markdown templates over the facts, rendered to HTML."""
from disclosure.narrative.render import Section, render_narrative
from disclosure.narrative.sections import PartDef, SectionDef, default_wording, part_defs, section_defs

__all__ = ["PartDef", "Section", "SectionDef", "default_wording", "part_defs", "render_narrative", "section_defs"]
