// talisman ships no type declarations; these are the two functions the project uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  export default function jaroWinkler(a: string, b: string): number;
}
