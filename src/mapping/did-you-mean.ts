/** Edit distance (Levenshtein), case-insensitive: enough to catch `colums` for `columns`. */
function distance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** True when `word` is `candidate` with letters left out: the most common typo, so it wins ties. */
function isOmission(word: string, candidate: string): boolean {
  const left = word.toLowerCase();
  const right = candidate.toLowerCase();
  let index = 0;
  for (const char of right) if (char === left[index]) index++;
  return index === left.length;
}

/** The closest candidate when it is plausibly a typo (at most a third of the word differs). */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    const tieWon =
      d === bestDistance && best !== undefined && isOmission(word, candidate) && !isOmission(word, best);
    if (d < bestDistance || tieWon) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "columns"?)` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
