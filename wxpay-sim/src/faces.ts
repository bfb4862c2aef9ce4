import { readFileSync } from 'node:fs';
import { DEFAULT_FACES_PATH } from './paths.js';

/** The simulator camera's known faces: one per line, `openid<TAB>nickname[<TAB>unionid]`; `#` comments. */
interface SimFace {
  openid: string;
  nickname: string;
  unionid: string | null;
}

export function parseFaces(text: string): SimFace[] {
  const faces: SimFace[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const [openid, nickname, unionid] = line.split('\t');
    if (!openid || !nickname) throw new Error(`faces line ${index + 1}: expected openid<TAB>nickname[<TAB>unionid]`);
    faces.push({ openid, nickname, unionid: unionid || null });
  });
  return faces;
}

export function readFaces(path: string = DEFAULT_FACES_PATH): SimFace[] {
  return parseFaces(readFileSync(path, 'utf8'));
}

