export { GLYPH_DESCENT, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, hasGlyph, textWidth } from './font.js';
export { type RgbaImage, type Rgb, type TextOptions, Raster } from './raster.js';
export { BLUES, DIVERGING, ORANGE_REDS, contrastRatio, css, diverging, interpolate, relativeLuminance } from './colors.js';
