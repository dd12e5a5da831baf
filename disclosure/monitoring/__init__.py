"""预算执行进度（绩效运行监控）: read a monitoring workbook, check its sums, evaluate 执行进度 against
序时进度 per line, group and total, and present it as JSON, text and a site page."""
from disclosure.monitoring.evaluate import MonitoringReport, Progress, evaluate_monitoring, schedule_progress
from disclosure.monitoring.model import MonitoringLine, MonitoringSheet
from disclosure.monitoring.notes import load_monitoring_notes
from disclosure.monitoring.reader import read_monitoring

__all__ = [
    "MonitoringLine",
    "MonitoringReport",
    "MonitoringSheet",
    "Progress",
    "evaluate_monitoring",
    "load_monitoring_notes",
    "read_monitoring",
    "schedule_progress",
]
