// The period's days as a chart: payment amounts (bars) and counts (line). ECharts, tree-shaken,
// loaded by ReportsPage only when a chart is shown.
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { ReportDayDto } from '../../../../shared/contract';
import { plotted } from './chart-days';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default function ReportChart({ days, today }: { days: ReportDayDto[]; today: string }) {
  const { t } = useTranslation();
  const lastPlotted = days.filter((d) => d.day <= today).at(-1)?.day ?? '';
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: {
      top: 0,
      left: 'center',
      data: [t('reports.chart.amount'), t('reports.chart.topups'), t('reports.chart.count')],
    },
    grid: { left: 64, right: 48, top: 56, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', name: t('money.unit') },
      { type: 'value', name: t('reports.chart.countAxis'), minInterval: 1 },
    ],
    // ECharts plots numbers: the strings are parsed for drawing only, never summed here.
    series: [
      {
        name: t('reports.chart.amount'),
        type: 'bar',
        data: plotted(days, today, (d) => Number(d.paymentAmount)),
        itemStyle: { color: '#00703c' },
      },
      {
        name: t('reports.chart.topups'),
        type: 'bar',
        data: plotted(days, today, (d) => Number(d.topupAmount)),
        itemStyle: { color: '#8fc9a8' },
      },
      {
        name: t('reports.chart.count'),
        type: 'line',
        yAxisIndex: 1,
        data: plotted(days, today, (d) => d.paymentCount),
        itemStyle: { color: '#ad6800' },
      },
    ],
  };
  return (
    <div data-testid="report-chart" data-last-plotted={lastPlotted}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320 }} />
    </div>
  );
}
