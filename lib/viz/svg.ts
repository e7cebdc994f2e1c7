/**
 * The pictures the toolkit draws: {@linkcode Svg}, SVG text that a Jupyter
 * notebook shows as a picture.
 *
 * @module
 */
export { Svg } from "./_svg.ts";
