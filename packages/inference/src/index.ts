export { type DigitClassifier, type DigitPrediction, fetchClassifier, loadClassifier } from './classifier.js';
