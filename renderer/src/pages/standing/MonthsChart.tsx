// The last 12 months' counts against 20 (MON-2): green met, red low, grey not judged (the opening
// month), blue the running month; a dashed line at the threshold. ECharts, tree-shaken.
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { MonthTotal } from '../../../../shared/exit-rule';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const COLOR = { met: '#00703c', low: '#cf1322', unjudged: '#bfbfbf', running: '#1677ff' };

function colorOf(m: MonthTotal, threshold: number): string {
  if (!m.complete) return COLOR.running;
  if (!m.judged) return COLOR.unjudged;
  return m.count < threshold ? COLOR.low : COLOR.met;
}

export function MonthsChart({ months, threshold }: { months: MonthTotal[]; threshold: number }) {
  const { t } = useTranslation();
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 56, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', minInterval: 1, max: (v: { max: number }) => Math.max(v.max, threshold + 5) },
    series: [
      {
        name: t('standing.chart.count'),
        type: 'bar',
        barMaxWidth: 28,
        data: months.map((m) => ({ value: m.count, itemStyle: { color: colorOf(m, threshold) } })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { type: 'dashed', color: '#ad6800' },
          label: { formatter: t('standing.chart.threshold', { n: threshold }) },
          data: [{ yAxis: threshold }],
        },
      },
    ],
  };
  return (
    <div data-testid="standing-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 240 }} />
      <div className="standing-legend">
        {(['met', 'low', 'running', 'unjudged'] as const).map((k) => (
          <span key={k}>
            <i style={{ background: COLOR[k] }} />
            {t(`standing.chart.${k}`)}
          </span>
        ))}
      </div>
    </div>
  );
}
