// The SVG charts' old home, kept only for the scripts that still import it
// (scripts/_learn.ts, scripts/spiral.ts, scripts/xor.ts). New code imports
// line_chart.ts and decision_boundary.ts; delete this file once those do.
export {
  lineChart,
  type LineChartOptions,
  type LineSeries,
} from "./line_chart.ts";
export {
  decisionBoundary,
  type DecisionBoundaryOptions,
  type LabelledPoints,
} from "./decision_boundary.ts";
