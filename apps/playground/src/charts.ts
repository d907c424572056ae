// Live loss and accuracy curves (chart.js, only the parts used, animations off so thousands of
// points stay smooth while training).
import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type Point = { x: number; y: number };

function lineChart(canvas: HTMLCanvasElement, yTitle: string, labels: [string, string], yRange?: { min: number; max: number }): Chart<'line', Point[]> {
  const dataset = (label: string, colour: string, withPoints: boolean): ChartDataset<'line', Point[]> => ({
    label,
    data: [],
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    pointRadius: withPoints ? 3 : 0,
    tension: 0.2,
  });
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: [dataset(labels[0], '#2563eb', false), dataset(labels[1], '#dc2626', true)] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, min: 0, ticks: { precision: 2 } },
        y: { type: 'linear', title: { display: true, text: yTitle }, ...(yRange ?? {}) },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    },
  });
}

/** The two training charts: loss (train, test) and accuracy (train, test) against epochs. */
export class TrainingCharts {
  readonly loss: Chart<'line', Point[]>;
  readonly accuracy: Chart<'line', Point[]>;
  private pending = false;

  constructor(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement) {
    this.loss = lineChart(lossCanvas, 'loss', ['train loss', 'test loss'], { min: 0, max: 2.5 });
    this.accuracy = lineChart(accuracyCanvas, 'accuracy (%)', ['train accuracy', 'test accuracy'], { min: 0, max: 100 });
  }

  /** Appends one training point (running means since the previous point). */
  addTrain(epoch: number, loss: number, accuracy: number): void {
    this.loss.data.datasets[0].data.push({ x: epoch, y: loss });
    this.accuracy.data.datasets[0].data.push({ x: epoch, y: 100 * accuracy });
    this.refresh();
  }

  /** Appends one test evaluation. */
  addTest(epoch: number, loss: number, accuracy: number): void {
    this.loss.data.datasets[1].data.push({ x: epoch, y: loss });
    this.accuracy.data.datasets[1].data.push({ x: epoch, y: 100 * accuracy });
    this.refresh();
  }

  /** Number of points drawn so far (train + test, both charts), for tests and status. */
  get pointCount(): number {
    return this.loss.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0);
  }

  /** Removes every point. */
  clear(): void {
    for (const chart of [this.loss, this.accuracy]) for (const dataset of chart.data.datasets) dataset.data = [];
    this.refresh();
  }

  private refresh(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      // The loss axis grows with the data (quadratic and untrained losses can exceed 2.5).
      let highest = 0;
      for (const dataset of this.loss.data.datasets) for (const point of dataset.data) highest = Math.max(highest, point.y);
      const yScale = this.loss.options.scales?.y;
      if (yScale !== undefined) yScale.max = highest > 2.5 ? Math.ceil(highest) : 2.5;
      this.loss.update('none');
      this.accuracy.update('none');
      // The point counts as attributes, so a test (or a curious user) can see the charts move.
      for (const chart of [this.loss, this.accuracy]) {
        chart.canvas.dataset.trainPoints = String(chart.data.datasets[0].data.length);
        chart.canvas.dataset.testPoints = String(chart.data.datasets[1].data.length);
      }
    });
  }
}
