// Live loss and accuracy curves (chart.js, only the parts used, animations off so thousands of
// points stay smooth while training). The loss axis is logarithmic (a loss falls by orders of
// magnitude); full test evaluations are a dashed line with large markers, the quick checks on
// the first 1 000 test images only small hollow markers, so the two are never confused.
import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

type Point = { x: number; y: number };

/** The three series of each chart, in dataset order. */
const trainSeries = 0;
const quickSeries = 1;
const testSeries = 2;

/** One colour meaning across the playground and the report: blue for training, orange-red for test. */
export const seriesColours = { train: '#2563eb', test: '#c2410c' } as const;

function lineChart(canvas: HTMLCanvasElement, yTitle: string, what: string, yScale: Record<string, unknown>): Chart<'line', Point[]> {
  const datasets: ChartDataset<'line', Point[]>[] = [
    { label: `train ${what} (running mean)`, data: [], borderColor: seriesColours.train, backgroundColor: seriesColours.train, borderWidth: 2, pointRadius: 0, tension: 0.2 },
    {
      label: `quick check (first 1 000 test images)`,
      data: [],
      borderColor: seriesColours.test,
      backgroundColor: '#fff',
      showLine: false,
      pointRadius: 2.5,
      pointBorderWidth: 1,
    },
    { label: `test ${what} (all test images)`, data: [], borderColor: seriesColours.test, backgroundColor: seriesColours.test, borderWidth: 2, borderDash: [6, 4], pointRadius: 4.5, pointStyle: 'rectRot' },
  ];
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, min: 0, ticks: { precision: 2 } },
        y: { title: { display: true, text: yTitle }, ...yScale },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } } },
    },
  });
}

/** The two training charts: loss (log scale) and accuracy against epochs; train, quick checks and test. */
export class TrainingCharts {
  readonly loss: Chart<'line', Point[]>;
  readonly accuracy: Chart<'line', Point[]>;
  private pending = false;

  constructor(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement) {
    this.loss = lineChart(lossCanvas, 'loss (log scale)', 'loss', { type: 'logarithmic' });
    this.accuracy = lineChart(accuracyCanvas, 'accuracy (%)', 'accuracy', { type: 'linear', max: 100 });
  }

  /** Appends one training point (running means since the previous point). */
  addTrain(epoch: number, loss: number, accuracy: number): void {
    this.push(trainSeries, epoch, loss, accuracy);
  }

  /** Appends one test evaluation: `full` over every test image, else a quick check. */
  addTest(epoch: number, loss: number, accuracy: number, full: boolean): void {
    this.push(full ? testSeries : quickSeries, epoch, loss, accuracy);
  }

  /** Removes every point. */
  clear(): void {
    for (const chart of [this.loss, this.accuracy]) for (const dataset of chart.data.datasets) dataset.data = [];
    this.refresh();
  }

  private push(series: number, epoch: number, loss: number, accuracy: number): void {
    // A log axis cannot show 0 or a diverged loss: those points are left out of the loss chart.
    if (Number.isFinite(loss) && loss > 0) this.loss.data.datasets[series].data.push({ x: epoch, y: loss });
    this.accuracy.data.datasets[series].data.push({ x: epoch, y: 100 * accuracy });
    this.refresh();
  }

  private refresh(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      // The accuracy axis starts a little below the lowest point, so late gains stay visible.
      let lowest = 100;
      for (const dataset of this.accuracy.data.datasets) for (const point of dataset.data) lowest = Math.min(lowest, point.y);
      const yScale = this.accuracy.options.scales?.y;
      if (yScale !== undefined) yScale.min = Math.max(0, Math.floor((lowest - 5) / 10) * 10);
      this.loss.update('none');
      this.accuracy.update('none');
      // The point counts as attributes, so a test (or a curious user) can see the charts move.
      for (const chart of [this.loss, this.accuracy]) {
        chart.canvas.dataset.trainPoints = String(chart.data.datasets[trainSeries].data.length);
        chart.canvas.dataset.quickPoints = String(chart.data.datasets[quickSeries].data.length);
        chart.canvas.dataset.testPoints = String(chart.data.datasets[testSeries].data.length);
      }
    });
  }
}
