// The "Teach it my handwriting" panel: a guided round of drawing (its own pad, the digit asked
// for, counts per digit, undo, a gallery to remove from), the model's accuracy on the held-out
// samples, fine-tuning in the training worker, and the samples' files. The samples are a
// `SampleSet` (teach-samples.ts) saved to IndexedDB after every change; this file is the DOM.
import { Announcer } from './announcer.js';
import { DrawPad, padSize } from './draw-pad.js';
import { createImageCanvas, drawGray } from './image-render.js';
import { type Sequential, loadModel, preprocessDigit } from './nnkit.js';
import { predictImage } from './predict.js';
import type { WorkerMessage, WorkerRequest } from './protocol.js';
import { type SampleFormat, exportSamples, importSamples } from './sample-files.js';
import type { SampleStorage, StoredTuning } from './sample-storage.js';
import {
  type HeldOutScore,
  type Sample,
  type SampleSet,
  addSample,
  addSamples,
  digitCount,
  emptySampleSet,
  formatScore,
  heldOutMask,
  maxTarget,
  nextPrompt,
  removeSample,
  sampleCounts,
  samplePixels,
  scoreHeldOut,
  splitSamples,
  undoSample,
  withTarget,
} from './teach-samples.js';
import { type TuneSettings, defaultTuneSettings } from './tune.js';

/** A model the panel can score with: its cache key, file text and words for it. */
export interface PanelModel {
  readonly key: string;
  readonly text: string;
  readonly label: string;
}

/** What the panel needs from the page. */
export interface TeachPanelHost {
  send(request: WorkerRequest): void;
  readonly dataUrl: string;
  storage: SampleStorage;
  /** The model fine-tuning starts from and "before" is measured on (the pre-trained one when bundled). */
  baseModel(): PanelModel | null;
  /** Accuracy on the MNIST test images of the base model and of the fine-tuned one, once measured. */
  mnistAccuracy(): { base: number | null; tuned: number | null; count: number | null };
  /** Makes the fine-tuned model the one the drawing pad predicts with. */
  useTuned(text: string): void;
  /** Makes the pre-trained model the one the drawing pad predicts with. */
  usePretrained(): void;
}

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`page: missing element #${id}`);
  return found as T;
};

/** A fine-tuning run of the panel: where it stands and, once done, its scores. */
interface Tuning {
  readonly id: number;
  state: 'running' | 'done' | 'failed';
  text: string;
  fraction: number;
  /** The held-out samples at the start, and the base model's and the tuned model's scores on them. */
  readonly heldOut: Sample[];
  readonly trainCount: number;
  before: HeldOutScore | null;
  after: HeldOutScore | null;
  /** The sample set the run was made for (to say when the samples changed since). */
  readonly samples: readonly Sample[];
  /** Made on an earlier visit and read back from this browser's storage. */
  readonly restored?: boolean;
}

export class TeachPanel {
  private set: SampleSet = emptySampleSet();
  private loaded = false;
  private prompt = 0;
  private readonly pad: DrawPad;
  private drawing: Uint8Array | null = null;
  private readonly announcer: Announcer;
  private readonly networks = new Map<string, Sequential>();
  private tuning: Tuning | null = null;
  private tuneIds = 0;
  private filesMessage = '';
  private saveError = '';
  private live: { key: string; samples: readonly Sample[]; score: HeldOutScore } | null = null;
  /** The samples and load state the gallery shows. */
  private galleryOf: readonly Sample[] | null = null;
  private galleryLoaded = false;
  private readonly view = {
    prompt: element('teach-prompt'),
    add: element<HTMLButtonElement>('teach-add'),
    undo: element<HTMLButtonElement>('teach-undo'),
    clear: element<HTMLButtonElement>('teach-clear'),
    preview: element<HTMLCanvasElement>('teach-preview'),
    counts: element('teach-counts'),
    round: element('teach-round'),
    target: element<HTMLInputElement>('teach-target'),
    targetError: element('teach-target-error'),
    galleryHint: element('teach-gallery-hint'),
    gallery: element('teach-gallery'),
    before: element('teach-before'),
    beforeLabel: element('teach-before-label'),
    after: element('teach-after'),
    afterNote: element('teach-after-note'),
    mnistScore: element('teach-mnist-score'),
    tune: element<HTMLButtonElement>('teach-tune'),
    tuneHint: element('teach-tune-hint'),
    epochs: element<HTMLInputElement>('teach-epochs'),
    mnist: element<HTMLInputElement>('teach-mnist'),
    freeze: element<HTMLInputElement>('teach-freeze'),
    progress: element<HTMLProgressElement>('teach-progress'),
    status: element('teach-status'),
    wrong: element('teach-wrong'),
    useTuned: element<HTMLButtonElement>('teach-use-tuned'),
    usePretrained: element<HTMLButtonElement>('teach-use-pretrained'),
    format: element<HTMLSelectElement>('teach-format'),
    export: element<HTMLButtonElement>('teach-export'),
    importButton: element<HTMLButtonElement>('teach-import-button'),
    import: element<HTMLInputElement>('teach-import'),
    removeAll: element<HTMLButtonElement>('teach-remove-all'),
    filesMessage: element('teach-files-message'),
  };

  constructor(private readonly host: TeachPanelHost) {
    this.announcer = new Announcer(element('teach-announcer'));
    this.pad = new DrawPad(element<HTMLCanvasElement>('teach-pad'), () => this.padChanged());
    this.pad.canvas.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.add();
      }
    });
    this.view.add.addEventListener('click', () => this.add());
    this.view.clear.addEventListener('click', () => this.pad.clear());
    this.view.undo.addEventListener('click', () => {
      const last = this.set.samples.at(-1);
      if (last === undefined) return;
      this.change(undoSample(this.set), `Removed the last sample, a ${last.label}.`);
      this.prompt = last.label;
      this.render();
    });
    this.view.target.addEventListener('change', () => this.setTarget());
    this.view.tune.addEventListener('click', () => this.startTuning());
    this.view.useTuned.addEventListener('click', () => {
      if (this.tuning?.state === 'done') this.host.useTuned(this.tuning.text);
    });
    this.view.usePretrained.addEventListener('click', () => this.host.usePretrained());
    this.view.export.addEventListener('click', () => this.exportFile());
    this.view.importButton.addEventListener('click', () => this.view.import.click());
    this.view.import.addEventListener('change', () => void this.importFiles());
    this.view.removeAll.addEventListener('click', () => {
      const count = this.set.samples.length;
      if (count === 0 || !window.confirm(`Remove all ${count} samples from this browser? Export them first to keep a copy.`)) return;
      this.change({ ...emptySampleSet(this.set.target), nextId: this.set.nextId }, `Removed all ${count} samples.`);
      this.filesMessage = `Removed all ${count} samples.`;
      this.render();
    });
    this.view.epochs.value = String(defaultTuneSettings.epochs);
    this.view.mnist.value = String(defaultTuneSettings.mnistImages);
    this.view.freeze.checked = defaultTuneSettings.freezeFeatures;
    this.render();
    void this.load();
  }

  /** Reads the samples saved in this browser. */
  private async load(): Promise<void> {
    try {
      const saved = await this.host.storage.load();
      if (saved !== null) this.set = saved;
      this.restoreTuning(await this.host.storage.loadTuning());
    } catch (error) {
      this.saveError = `Samples cannot be kept in this browser (${error instanceof Error ? error.message : String(error)}): they last until the page closes; export them to keep them.`;
    }
    this.loaded = true;
    this.prompt = nextPrompt(this.set, this.set.samples.at(-1)?.label ?? -1) ?? 0;
    this.render();
  }

  /**
   * The fine-tuned model of an earlier visit: the pad predicts with it again, and its figures are
   * recomputed on the held-out samples it was made with (those still here).
   */
  private restoreTuning(stored: StoredTuning | null): void {
    if (stored === null) return;
    const byId = new Map(this.set.samples.map((sample) => [sample.id, sample]));
    const heldOut = stored.heldOutIds.map((id) => byId.get(id)).filter((sample): sample is Sample => sample !== undefined);
    const sameSamples = this.set.samples.length === stored.trainIds.length + stored.heldOutIds.length && [...stored.trainIds, ...stored.heldOutIds].every((id) => byId.has(id));
    const id = ++this.tuneIds;
    let after: HeldOutScore;
    try {
      after = this.score({ key: `tuned-${id}`, text: stored.text, label: 'the fine-tuned model' }, heldOut);
    } catch {
      return; // a stored model this build cannot read: the samples stay, the model does not
    }
    this.tuning = { id, state: 'done', text: stored.text, fraction: 1, heldOut, trainCount: stored.trainIds.length, before: null, after, samples: sameSamples ? this.set.samples : [], restored: true };
    this.host.useTuned(stored.text);
  }

  /** A new sample set: saved at once, announced, shown. */
  private change(next: SampleSet, announcement: string): void {
    this.set = next;
    this.announcer.say(announcement);
    this.host.storage.save(next).then(
      () => {
        // A save that works again clears the last failure's message.
        if (!this.saveError.startsWith('Could not save')) return;
        this.saveError = '';
        this.render();
      },
      (error: unknown) => {
        this.saveError = `Could not save the samples in this browser (${error instanceof Error ? error.message : String(error)}): export them to keep them.`;
        this.render();
      },
    );
  }

  private padChanged(): void {
    // The same MNIST-style preprocessing as the drawing pad's prediction.
    this.drawing = this.pad.isEmpty ? null : preprocessDigit(this.pad.pixels(), padSize, padSize);
    drawGray(this.view.preview, this.drawing === null ? new Float32Array(samplePixels) : Float32Array.from(this.drawing, (value) => value / 255), 28, 28);
    this.view.add.disabled = this.drawing === null || !this.loaded;
  }

  private add(): void {
    if (this.drawing === null || !this.loaded) return;
    const label = this.prompt;
    const next = addSample(this.set, label, this.drawing);
    const count = sampleCounts(next)[label];
    const following = nextPrompt(next, label);
    this.change(next, `Added a ${label} (${count} of ${next.target}). ${following === null ? `Every digit has ${next.target} samples.` : `Now draw a ${following}.`}`);
    this.prompt = following ?? label;
    this.pad.clear();
    this.render();
  }

  private setTarget(): void {
    const value = Number(this.view.target.value);
    if (!Number.isInteger(value) || value < 1 || value > maxTarget) {
      this.view.target.setAttribute('aria-invalid', 'true');
      this.view.targetError.textContent = `A whole number from 1 to ${maxTarget}.`;
      this.view.targetError.hidden = false;
      return;
    }
    this.view.target.removeAttribute('aria-invalid');
    this.view.targetError.hidden = true;
    this.change(withTarget(this.set, value), `${value} samples per digit.`);
    this.prompt = nextPrompt(this.set, this.prompt - 1) ?? this.prompt;
    this.render();
  }

  /** The parsed network of a model, kept per key. */
  private network(model: PanelModel): Sequential {
    let network = this.networks.get(model.key);
    if (network === undefined) {
      network = loadModel(model.text, model.label).model;
      if (this.networks.size > 4) this.networks.clear();
      this.networks.set(model.key, network);
    }
    return network;
  }

  private score(model: PanelModel, heldOut: readonly Sample[]): HeldOutScore {
    const network = this.network(model);
    return scoreHeldOut(heldOut, (pixels) => {
      const probabilities = predictImage(network, Float32Array.from(pixels, (value) => value / 255)).probabilities;
      let best = 0;
      for (let digit = 1; digit < probabilities.length; digit++) if (probabilities[digit] > probabilities[best]) best = digit;
      return best;
    });
  }

  /** The base model's score on the held-out samples as they stand, kept until either changes. */
  private liveScore(base: PanelModel, heldOut: readonly Sample[]): HeldOutScore {
    if (this.live?.key !== base.key || this.live.samples !== this.set.samples) this.live = { key: base.key, samples: this.set.samples, score: this.score(base, heldOut) };
    return this.live.score;
  }

  private readSettings(): TuneSettings | string {
    const epochs = Number(this.view.epochs.value);
    const mnistImages = Number(this.view.mnist.value);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 50) return 'Epochs: a whole number from 1 to 50.';
    if (!Number.isInteger(mnistImages) || mnistImages < 0 || mnistImages > 60000) return 'MNIST images: a whole number from 0 to 60 000.';
    return { epochs, mnistImages, freezeFeatures: this.view.freeze.checked, seed: defaultTuneSettings.seed };
  }

  private startTuning(): void {
    const base = this.host.baseModel();
    const settings = this.readSettings();
    const { train, heldOut } = splitSamples(this.set);
    if (base === null || typeof settings === 'string' || train.length === 0 || this.tuning?.state === 'running') {
      if (typeof settings === 'string') this.view.tuneHint.textContent = settings;
      return;
    }
    const images = new Uint8Array(train.length * samplePixels);
    train.forEach((sample, index) => images.set(sample.pixels, index * samplePixels));
    const labels = Uint8Array.from(train, (sample) => sample.label);
    const id = ++this.tuneIds;
    this.tuning = { id, state: 'running', text: 'Starting…', fraction: 0, heldOut, trainCount: train.length, before: this.score(base, heldOut), after: null, samples: this.set.samples };
    this.host.send({ type: 'fineTune', tuneId: id, baseText: base.text, images, labels, settings, dataUrl: this.host.dataUrl });
    this.announcer.say(`Fine-tuning on ${train.length} samples…`);
    this.render();
  }

  /** Shows the scores again: the model to start from has changed. */
  refresh(): void {
    this.render();
  }

  /** The worker's fine-tuning messages. */
  handle(message: WorkerMessage): void {
    if (!('tuneId' in message) || this.tuning === null || message.tuneId !== this.tuning.id) return;
    const tuning = this.tuning;
    switch (message.type) {
      case 'tuneStatus':
        tuning.text = message.text;
        break;
      case 'tuneProgress':
        tuning.fraction = (message.epoch - 1 + message.batch / message.batches) / message.epochs;
        tuning.text = `Fine-tuning: epoch ${message.epoch} of ${message.epochs}, batch ${message.batch} of ${message.batches}, loss ${message.loss.toPrecision(3)}.`;
        break;
      case 'tuned': {
        tuning.state = 'done';
        tuning.fraction = 1;
        tuning.after = this.score({ key: `tuned-${tuning.id}`, text: message.text, label: 'the fine-tuned model' }, tuning.heldOut);
        tuning.text = message.text;
        this.announcer.say(`Fine-tuned. Held-out accuracy ${formatScore(tuning.before)} before, ${formatScore(tuning.after)} after.`);
        this.host.useTuned(message.text);
        const heldOutIds = new Set(tuning.heldOut.map((sample) => sample.id));
        this.host.storage
          .saveTuning({ text: message.text, trainIds: tuning.samples.filter((sample) => !heldOutIds.has(sample.id)).map((sample) => sample.id), heldOutIds: [...heldOutIds] })
          .catch((error: unknown) => {
            this.saveError = `Could not keep the fine-tuned model in this browser (${error instanceof Error ? error.message : String(error)}): export it from the Files panel to keep it.`;
            this.render();
          });
        break;
      }
      case 'tuneFailed':
        tuning.state = 'failed';
        tuning.text = `Fine-tuning failed: ${message.message}`;
        this.announcer.say(tuning.text);
        break;
      default:
        return;
    }
    this.render();
  }

  private exportFile(): void {
    if (this.set.samples.length === 0) {
      this.filesMessage = 'There are no samples to export yet.';
      this.render();
      return;
    }
    const file = exportSamples(this.set.samples, this.view.format.value as SampleFormat);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }));
    link.download = file.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    this.filesMessage = `Exported ${this.set.samples.length} samples as ${file.name}.`;
    this.announcer.say(this.filesMessage);
    this.render();
  }

  private async importFiles(): Promise<void> {
    const picked = [...(this.view.import.files ?? [])];
    this.view.import.value = '';
    if (picked.length === 0 || !this.loaded) return;
    const files = await Promise.all(picked.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
    const result = importSamples(files);
    const names = picked.map((file) => file.name).join(', ');
    const skipped = result.problems.length === 0 ? '' : `; skipped ${result.problems.length} ${result.problems.length === 1 ? 'file' : 'files'}: ${result.problems.join('; ')}`;
    this.filesMessage = `Imported ${result.samples.length} samples from ${names}${skipped}.`;
    if (result.samples.length > 0) this.change(addSamples(this.set, result.samples), this.filesMessage);
    else this.announcer.say(this.filesMessage);
    this.prompt = nextPrompt(this.set, this.prompt - 1) ?? this.prompt;
    this.render();
  }

  private render(): void {
    const set = this.set;
    const counts = sampleCounts(set);
    const done = nextPrompt(set, -1) === null;
    document.body.dataset.teachSamples = this.loaded ? String(set.samples.length) : 'loading';
    document.body.dataset.teachPrompt = String(this.prompt);
    this.view.prompt.replaceChildren('Draw a ', digitSpan(this.prompt));
    this.view.round.textContent = done
      ? `Every digit has its ${set.target} samples: fine-tune below, or draw more of any digit.`
      : `A round of ${set.target} of each digit; choose a digit to draw another one next.`;
    this.view.add.textContent = `Add as ${this.prompt}`;
    this.view.add.disabled = this.drawing === null || !this.loaded;
    this.view.undo.disabled = set.samples.length === 0;
    if (document.activeElement !== this.view.target) this.view.target.value = String(set.target);
    this.renderCounts(counts);
    this.renderGallery();
    this.renderScores();
    this.view.filesMessage.textContent = [this.saveError, this.filesMessage].filter((text) => text !== '').join(' ');
    this.view.filesMessage.classList.toggle('error', this.saveError !== '' || this.filesMessage.includes('skipped'));
    this.view.export.disabled = set.samples.length === 0;
    this.view.removeAll.disabled = set.samples.length === 0;
  }

  private renderCounts(counts: number[]): void {
    if (this.view.counts.childElementCount !== digitCount) {
      this.view.counts.replaceChildren(
        ...counts.map((_, digit) => {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'count';
          button.dataset.digit = String(digit);
          button.addEventListener('click', () => {
            this.prompt = digit;
            this.render();
            this.pad.canvas.focus();
          });
          return button;
        }),
      );
    }
    counts.forEach((count, digit) => {
      const button = this.view.counts.children[digit] as HTMLButtonElement;
      const text = `${digit}: ${count}/${this.set.target}`;
      if (button.textContent !== text) {
        const fill = Math.min(1, count / this.set.target);
        button.replaceChildren(digitSpan(digit, 'count-digit'), hidden(': '), span(`${count}/${this.set.target}`, 'count-value'));
        button.style.setProperty('--fill', String(fill));
      }
      button.classList.toggle('full', count >= this.set.target);
      button.setAttribute('aria-pressed', String(digit === this.prompt));
    });
  }

  private renderGallery(): void {
    const set = this.set;
    // Rebuilt only when the samples change (not at every progress message of a fine-tuning run).
    if (this.galleryOf === set.samples && this.galleryLoaded === this.loaded) return;
    this.galleryOf = set.samples;
    this.galleryLoaded = this.loaded;
    const mask = heldOutMask(set);
    const heldOut = mask.filter(Boolean).length;
    this.view.galleryHint.textContent =
      set.samples.length === 0
        ? this.loaded
          ? 'No samples yet: draw the digit asked for above and add it.'
          : 'Reading the samples saved in this browser…'
        : `${set.samples.length} samples, ${heldOut} of them held out (dashed frame): one in five of each digit, never trained on, to measure the model on.`;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.sampleId;
    const rows: HTMLElement[] = [];
    for (let digit = 0; digit < digitCount; digit++) {
      const samples = set.samples.map((sample, index) => ({ sample, heldOut: mask[index] })).filter((entry) => entry.sample.label === digit);
      if (samples.length === 0) continue;
      const row = document.createElement('li');
      row.className = 'gallery-row';
      const title = span(String(digit), 'gallery-digit');
      title.setAttribute('aria-hidden', 'true');
      const list = document.createElement('ul');
      list.className = 'gallery-list';
      list.setAttribute('aria-label', `Samples of ${digit}`);
      for (const { sample, heldOut: held } of samples) list.append(this.thumbnail(sample, held));
      row.append(title, list);
      rows.push(row);
    }
    this.view.gallery.replaceChildren(...rows);
    // Keep the focus in the gallery after a removal: on the next sample's button, else the undo button.
    if (focused !== undefined) {
      const buttons = [...this.view.gallery.querySelectorAll<HTMLButtonElement>('button[data-sample-id]')];
      const same = buttons.find((button) => button.dataset.sampleId === focused);
      const target = same ?? buttons.find((button) => Number(button.dataset.sampleId) > Number(focused)) ?? buttons.at(-1);
      (target ?? this.view.undo).focus();
    }
  }

  private thumbnail(sample: Sample, held: boolean): HTMLElement {
    const item = document.createElement('li');
    item.className = held ? 'thumb held-out' : 'thumb';
    const canvas = createImageCanvas(`Sample ${sample.id}: a ${sample.label}${held ? ', held out' : ''}`, 'pixels thumb-image');
    drawGray(canvas, Float32Array.from(sample.pixels, (value) => value / 255), 28, 28);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'thumb-remove';
    remove.dataset.sampleId = String(sample.id);
    remove.setAttribute('aria-label', `Remove sample ${sample.id} (a ${sample.label})`);
    remove.textContent = '×';
    remove.addEventListener('click', () => {
      this.change(removeSample(this.set, sample.id), `Removed sample ${sample.id}, a ${sample.label}.`);
      this.render();
    });
    item.append(canvas, remove);
    return item;
  }

  private renderScores(): void {
    const base = this.host.baseModel();
    const { train, heldOut } = splitSamples(this.set);
    const tuning = this.tuning;
    this.view.beforeLabel.textContent = base === null ? 'the model in use' : base.label;
    // A restored fine-tuning gets its "before" once the model it started from is here again.
    if (tuning !== null && tuning.before === null && tuning.restored && base !== null) tuning.before = this.score(base, tuning.heldOut);
    // Live on the samples as they stand, until a fine-tuning run fixes both figures on its own held-out part.
    const before = tuning?.before ?? (base === null || heldOut.length === 0 ? null : this.liveScore(base, heldOut));
    this.view.before.textContent = heldOut.length === 0 && tuning === null ? '– (needs 2 samples of a digit)' : formatScore(before);
    this.view.before.dataset.correct = String(before?.correct ?? '');
    this.view.before.dataset.count = String(before?.count ?? '');
    const after = tuning?.after ?? null;
    this.view.after.textContent = tuning === null ? '– (fine-tune first)' : tuning.state === 'running' ? 'fine-tuning…' : formatScore(after);
    this.view.after.dataset.correct = String(after?.correct ?? '');
    this.view.after.dataset.count = String(after?.count ?? '');
    const changed = tuning !== null && tuning.samples !== this.set.samples;
    this.view.afterNote.textContent =
      tuning === null
        ? ''
        : `Both on the ${tuning.heldOut.length} held-out samples of the last fine-tuning (trained on ${tuning.trainCount} of yours).${changed ? ' The samples changed since: fine-tune again to include them.' : ''}`;
    // Whether it forgot MNIST: both models on the page's test images (scored by the worker).
    const mnist = this.host.mnistAccuracy();
    const percent = (value: number | null): string => (value === null ? '…' : `${(100 * value).toFixed(2)} %`);
    this.view.mnistScore.textContent = tuning?.state !== 'done' ? percent(mnist.base) : `${percent(mnist.base)} → ${percent(mnist.tuned)}`;
    this.view.mnistScore.title = mnist.count === null ? '' : `on ${mnist.count} MNIST test images`;
    const running = tuning?.state === 'running';
    this.view.tune.disabled = base === null || train.length === 0 || running || !this.loaded;
    this.view.tuneHint.textContent =
      base === null ? 'Waiting for a model to start from…' : train.length === 0 ? 'Add samples first (a held-out one of each digit is kept from the second sample on).' : `Starts from ${base.label}; trains on ${train.length} of your samples.`;
    this.view.progress.value = tuning?.fraction ?? 0;
    this.view.status.textContent =
      tuning === null
        ? ''
        : tuning.state !== 'done'
          ? tuning.text
          : tuning.restored
            ? `Fine-tuned on ${tuning.trainCount} samples on an earlier visit, kept in this browser; the drawing pad predicts with it.`
            : `Done: fine-tuned on ${tuning.trainCount} samples; the drawing pad predicts with it now.`;
    this.view.status.classList.toggle('error', tuning?.state === 'failed');
    document.body.dataset.teachTune = tuning?.state ?? 'none';
    this.view.useTuned.disabled = tuning?.state !== 'done';
    this.renderWrong(tuning);
  }

  private renderWrong(tuning: Tuning | null): void {
    const after = tuning?.after ?? null;
    if (tuning === null || after === null) {
      this.view.wrong.replaceChildren();
      return;
    }
    const before = tuning.before;
    const afterGroup = this.wrongGroup('teach-wrong-after', tuning.heldOut, after, 'wrong', (count) =>
      count === 0 ? 'The fine-tuned model reads every held-out sample right.' : `Still read wrong (${count})`,
    );
    const beforeGroup =
      before === null
        ? []
        : this.wrongGroup('teach-wrong-before', tuning.heldOut, before, 'wrong-before', (count) =>
            count === 0 ? 'The pre-trained model read them all right too.' : `Read wrong before fine-tuning (${count})`,
          );
    this.view.wrong.replaceChildren(...afterGroup, ...beforeGroup);
  }

  /** A heading and the thumbnails of the held-out samples `score` got wrong (true → read). */
  private wrongGroup(id: string, heldOut: readonly Sample[], score: HeldOutScore, className: string, title: (count: number) => string): HTMLElement[] {
    const wrong = heldOut.map((sample, index) => ({ sample, predicted: score.predicted[index] })).filter((entry) => entry.predicted !== entry.sample.label);
    const heading = document.createElement('h4');
    heading.id = id;
    heading.textContent = title(wrong.length);
    if (wrong.length === 0) return [heading];
    const list = document.createElement('ul');
    list.className = 'wrong-list';
    list.setAttribute('aria-labelledby', id);
    for (const { sample, predicted } of wrong) {
      const item = document.createElement('li');
      item.className = className;
      item.dataset.label = String(sample.label);
      item.dataset.predicted = String(predicted);
      const canvas = createImageCanvas(`Sample ${sample.id}: a ${sample.label} read as ${predicted}`, 'pixels thumb-image');
      drawGray(canvas, Float32Array.from(sample.pixels, (value) => value / 255), 28, 28);
      const caption = span(`${sample.label} → ${predicted}`, 'wrong-caption');
      caption.setAttribute('aria-hidden', 'true');
      item.append(canvas, caption);
      list.append(item);
    }
    return [heading, list];
  }
}

function span(text: string, className: string): HTMLSpanElement {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}
const digitSpan = (digit: number, className = 'teach-digit'): HTMLSpanElement => span(String(digit), className);
const hidden = (text: string): HTMLSpanElement => span(text, 'visually-hidden');
