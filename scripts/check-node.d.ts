/** Types for scripts/check-node.js (plain JavaScript so that it runs on any Node). */
export function satisfies(version: string, range: string): boolean;
export function nodeVersionProblem(version: string, range: string, nvmrc: string): string | null;
export function withNodeFromNpm(major: string): string;
