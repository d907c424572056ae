export { GLYPH_DESCENT, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, hasGlyph, textWidth } from './font.js';
export { type RgbaImage, type Rgb, type TextOptions, Raster } from './raster.js';
