// seedrandom's Alea generator on its own: seedrandom's main module carries all its generators
// (and a Node crypto fallback) into every browser build. Typed by alea.d.ts beside it.
export { default } from 'seedrandom/lib/alea.js';
