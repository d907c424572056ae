import type seedrandom from 'seedrandom';

/** seedrandom's Alea generator (`seedrandom.alea`), imported alone. */
declare const alea: seedrandom['alea'];
export default alea;
