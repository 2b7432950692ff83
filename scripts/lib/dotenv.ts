/**
 * A small reader for dotenv files (`.env.local`, and the output of `npx convex env list`), so the
 * developer tools need no dependency for it. It reads what Vite and the Convex CLI write:
 * `NAME=value`, `export NAME=value`, blank lines and `#` comments, values in single quotes
 * (literal), double quotes (`\n`, `\"`, `\\` escapes; may span lines) or bare (a ` #` starts a
 * comment). Later assignments win, as in dotenv.
 */
import { existsSync, readFileSync } from "node:fs";

export type EnvValues = Record<string, string>;

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Parses dotenv text into name → value. Lines that are not assignments are ignored. */
export function parseDotenv(text: string): EnvValues {
  const values: EnvValues = {};
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const match = LINE.exec(lines[i]!);
    if (!match) continue;
    const name = match[1]!;
    let rest = match[2]!;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      // A quoted value may continue over the following lines until its closing quote.
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close === -1 && i + 1 < lines.length) {
        i += 1;
        body += `\n${lines[i]}`;
        close = findClosingQuote(body, quote);
      }
      rest = close === -1 ? body : body.slice(0, close);
      values[name] = quote === '"' ? unescapeDoubleQuoted(rest) : rest;
    } else {
      values[name] = rest.replace(/\s+#.*$/, "").trim();
    }
  }
  return values;
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === "\\" && quote === '"') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
}

/** The values in a dotenv file, or null when it does not exist. */
export function readDotenvFile(path: string): EnvValues | null {
  if (!existsSync(path)) return null;
  return parseDotenv(readFileSync(path, "utf8"));
}
