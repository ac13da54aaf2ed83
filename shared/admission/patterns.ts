import { AdmissionError } from './errors.js';

/**
 * Allow patterns for system images, matched against the normalised repository name (`registry/repository`,
 * no tag or digest: a tag can be moved, so allowing "a tag" would allow anything). `*` matches within one path
 * segment, `**` across segments. The registry host must be spelled out, so `nginx*` can never match a foreign host.
 */
export interface ImagePattern {
  source: string;
  matches(normalizedName: string): boolean;
}

const PATTERN_TEXT = /^[a-z0-9.\-_:/*[\]]+$/;

/** Compiles patterns such as `mcr.microsoft.com/oss/kubernetes/**`. Throws AdmissionError ERR_CONFIG for a bad one. */
export function compileImagePatterns(patterns: readonly string[]): ImagePattern[] {
  return patterns.map((raw) => {
    const source = raw.trim().toLowerCase();
    const host = source.split('/')[0] ?? '';
    if (!PATTERN_TEXT.test(source) || !source.includes('/') || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
      throw new AdmissionError('ERR_CONFIG', 'config', `image allow pattern "${raw}" must be registry-host/repository, optionally with * or **`);
    }
    if (/\*{3,}/.test(source) || host.includes('**')) {
      throw new AdmissionError('ERR_CONFIG', 'config', `image allow pattern "${raw}" has *** or a ** in the registry host`);
    }
    const regex = new RegExp(`^${source.split('**').map((part) => part.split('*').map(escape).join('[^/]*')).join('.*')}$`);
    return { source, matches: (name: string) => regex.test(name) };
  });
}

/** The first pattern that allows this repository, if any. */
export function matchingPattern(patterns: readonly ImagePattern[], normalizedName: string): ImagePattern | undefined {
  return patterns.find((pattern) => pattern.matches(normalizedName));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
