// Vite's `?raw` imports: the file's text (used to apply demo/seed.sql inside workerd).
declare module '*.sql?raw' {
  const text: string;
  export default text;
}
