// Only the parts of Apache ECharts the tracking page draws (bar and line charts, the grid, tooltip, legend and aria
// components, the SVG renderer), registered once. Imported only by the lazily loaded TrackingCharts, so that ECharts
// never weighs on the sign-in, inbox or tracking page's first load (scripts/web-size.mjs).
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export { echarts };
export type { EChartsCoreOption } from "echarts/core";
