// Where the handwriting samples live between visits: IndexedDB in this browser (idb-keyval), one
// record holding the whole set, written whole after every change (a few hundred samples are a
// few hundred kB), so a reload finds exactly the last set saved. Nothing leaves the browser.
import { type UseStore, createStore, get, set } from 'idb-keyval';
import { type Sample, type SampleSet, digitCount, emptySampleSet, maxTarget, samplePixels } from './teach-samples.js';

/** The last fine-tuned model, kept beside the samples so that it outlives the page. */
export interface StoredTuning {
  /** The model as nnkit-model text. */
  readonly text: string;
  /** The ids of the samples it was trained on and of those held out, when it was made. */
  readonly trainIds: readonly number[];
  readonly heldOutIds: readonly number[];
}

/** Loads and saves a sample set and the last fine-tuned model; the page uses IndexedDB, tests may pass another. */
export interface SampleStorage {
  load(): Promise<SampleSet | null>;
  save(set: SampleSet): Promise<void>;
  loadTuning(): Promise<StoredTuning | null>;
  saveTuning(tuning: StoredTuning): Promise<void>;
}

/** The IndexedDB database and object store of the samples, and the record's key. */
export const databaseName = 'nnkit-playground';
export const storeName = 'handwriting';
const recordKey = 'samples';
const tuningKey = 'tuned-model';
/** Bumped when the record's shape changes; a record of another version is not read. */
const recordVersion = 1;

interface StoredRecord {
  version: number;
  target: number;
  nextId: number;
  samples: { id: number; label: number; pixels: Uint8Array }[];
}

/** A record as read back, checked: anything unexpected is dropped rather than shown broken. */
function fromRecord(record: unknown): SampleSet | null {
  if (typeof record !== 'object' || record === null || (record as StoredRecord).version !== recordVersion) return null;
  const { target, nextId, samples } = record as StoredRecord;
  if (!Array.isArray(samples)) return null;
  const kept: Sample[] = samples.filter(
    (sample) => Number.isInteger(sample?.label) && sample.label >= 0 && sample.label < digitCount && sample.pixels instanceof Uint8Array && sample.pixels.length === samplePixels && Number.isInteger(sample.id),
  );
  const fallback = emptySampleSet();
  return {
    samples: kept,
    target: Number.isInteger(target) && target >= 1 && target <= maxTarget ? target : fallback.target,
    nextId: Math.max(Number.isInteger(nextId) ? nextId : 1, ...kept.map((sample) => sample.id + 1)),
  };
}

const ids = (value: unknown): value is number[] => Array.isArray(value) && value.every((id) => Number.isInteger(id));

/** A stored fine-tuned model as read back, checked (the model text itself is checked when it is loaded). */
function tuningFromRecord(record: unknown): StoredTuning | null {
  if (typeof record !== 'object' || record === null || (record as { version?: unknown }).version !== recordVersion) return null;
  const { text, trainIds, heldOutIds } = record as Record<string, unknown>;
  return typeof text === 'string' && text.length > 0 && ids(trainIds) && ids(heldOutIds) ? { text, trainIds, heldOutIds } : null;
}

/** The samples in IndexedDB (`nnkit-playground` › `handwriting`). */
export function indexedDbStorage(store: UseStore = createStore(databaseName, storeName)): SampleStorage {
  return {
    load: async () => fromRecord(await get(recordKey, store)),
    save: (sampleSet) =>
      set(
        recordKey,
        {
          version: recordVersion,
          target: sampleSet.target,
          nextId: sampleSet.nextId,
          samples: sampleSet.samples.map((sample) => ({ id: sample.id, label: sample.label, pixels: sample.pixels })),
        } satisfies StoredRecord,
        store,
      ),
    loadTuning: async () => tuningFromRecord(await get(tuningKey, store)),
    saveTuning: (tuning) => set(tuningKey, { version: recordVersion, text: tuning.text, trainIds: [...tuning.trainIds], heldOutIds: [...tuning.heldOutIds] }, store),
  };
}
