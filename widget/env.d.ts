/** `styles.css?inline`: the stylesheet's text (minified by scripts/build.ts; empty under vitest). */
declare module '*.css?inline' {
  const css: string;
  export default css;
}
