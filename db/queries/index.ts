/** The query layer: every function takes the db and one parameters object and returns plain data. */
export * from "./types";
export { CAUSE_LABELS, CAUSE_ORDER } from "./causes";
export { getOverview } from "./overview";
export {
  getExecutionByDepartment,
  getExecutionByRegion,
  getExecutionByYear,
  getLowestExecutionProjects,
  type LowestExecutionParams,
} from "./execution";
export { getGradeCounts, getScoreHistogram, type GradeCountParams, type HistogramParams } from "./grades";
export {
  getUnmetIndicators,
  getUnmetIndicatorList,
  getDeviationCauses,
  type UnmetIndicatorParams,
  type UnmetIndicatorListParams,
  type UnmetIndicatorItem,
  type DeviationCauseParams,
} from "./indicators";
export { getScoreLoss, getCredibility, type CredibilityParams } from "./scores";
export { getYearOverYear } from "./trends";
export { getLineItemSummary } from "./lineItems";
export { getDataQuality, type DataQualityParams } from "./quality";
export { getDepartmentTable, getDepartment, getDepartmentReports, type DepartmentReportsParams } from "./departments";
export { getReportDetail, getFilterOptions } from "./reports";
