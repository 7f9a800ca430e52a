"""``report --final``: a report is final only when every comment is accepted and no page shows
illustrative data. `final_problems` lists what stands in the way, one line per problem."""

from __future__ import annotations

from policeperf.errors import PolicePerfError
from policeperf.report.data import ReportData

__all__ = ["FinalReportError", "final_problems"]


class FinalReportError(PolicePerfError):
    """The report cannot be marked final; the message lists every problem, one a line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the report is not final: {len(problems)} problem(s); nothing was "
                         f"written:\n{lines}")


def final_problems(report: ReportData) -> list[str]:
    """Every reason the report is not final, page by page: unaccepted drafted comments (with
    the key to accept) and pages whose figures come from files marked illustrative."""
    problems: list[str] = []
    for page in report.pages:
        titles = {row.measure_id: row.title for row in page.rows}
        for comment in page.comments:
            if comment.draft:
                what = titles.get(comment.measure_id or "", comment.measure_id or "a measure")
                problems.append(
                    f"page '{page.title}': the drafted comment on {what} is not accepted "
                    f"(accept it with key {comment.key} in accepted_drafts.yaml, see "
                    "out/data/drafts.csv)")
        if page.banner:
            files = ", ".join(page.illustrative_files) or "a file marked illustrative"
            problems.append(f"page '{page.title}': uses illustrative data ({files}); load the "
                            "force's own series instead")
    return problems
