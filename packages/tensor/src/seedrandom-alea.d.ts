// seedrandom's Alea generator on its own (the module `seedrandom.alea` comes from).
declare module 'seedrandom/lib/alea.js' {
  import type seedrandom from 'seedrandom';
  const alea: seedrandom['alea'];
  export default alea;
}
