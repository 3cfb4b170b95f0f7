/** Shapes as error messages write them: [2, 3, 4]. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
