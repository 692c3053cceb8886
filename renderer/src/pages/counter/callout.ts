// 唱收唱付 out loud (issue 13): when the operator reaches the call-back, the counter says
// 「收您…元，找您…元」 in Mandarin through the system's speech synthesis (the Web Speech API, in
// Chromium and in Electron). On by default; the switch on the call-back panel turns it off on
// this machine. Without speech synthesis (or a Chinese voice) nothing is said and nothing breaks.

const KEY = 'yizhan.callout.speech';

export function speechEnabled(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSpeechEnabled(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // (storage refused: the switch holds for this session only)
  }
}

/** A yuan amount as it is said: "3.50" → "3元5角", "100.00" → "100元", "0.05" → "5分",
 *  "12.05" → "12元零5分". Digits stay digits: the voice reads them in Chinese. */
export function spokenYuan(amount: string): string {
  const m = /^(\d+)\.(\d)(\d)$/.exec(amount);
  if (!m) return `${amount}元`;
  const yuan = String(Number(m[1]));
  const [jiao, fen] = [m[2]!, m[3]!];
  let s = yuan !== '0' ? `${yuan}元` : '';
  if (jiao !== '0') s += `${jiao}角`;
  else if (fen !== '0' && s) s += '零';
  if (fen !== '0') s += `${fen}分`;
  return s || '0元';
}

/** What is said: 「收您100元，找您3元5角」; with nothing to give back, 「收您96元5角，不用找零」. */
export function calloutText(cash: string, change: string): string {
  const back = /^0+\.00$/.test(change) ? '不用找零' : `找您${spokenYuan(change)}`;
  return `收您${spokenYuan(cash)}，${back}`;
}

/** Says it, cutting off anything still being said. False when the system cannot speak. */
export function speak(text: string): boolean {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return false;
  synth.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  u.rate = 0.95;
  synth.speak(u);
  return true;
}
