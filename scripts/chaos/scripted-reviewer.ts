/**
 * The reviewers of a chaos run, through the staff API as people use it: sign in, claim the next task, approve it
 * (the legal reviewer names a party with a phone and consent to online delivery). Any failure (the API killed, the
 * database restarting) is simply tried again on the next round; a held task's lease brings it back if the
 * decision was lost.
 */

class StaffClient {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    private readonly base: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  private headers(json: boolean): Record<string, string> {
    return {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  async signIn(): Promise<void> {
    this.cookies.clear();
    const csrf = await fetch(`${this.base}/auth/csrf`, { signal: AbortSignal.timeout(10_000) });
    this.keep(csrf);
    this.csrf = ((await csrf.json()) as { token: string }).token;
    const res = await this.post('/auth/login', { username: this.username, password: this.password });
    if (res.status !== 200) throw new Error(`sign-in of ${this.username}: ${res.status}`);
  }

  async post(url: string, body: unknown): Promise<Response> {
    const res = await fetch(`${this.base}${url}`, {
      method: 'POST',
      headers: this.headers(true),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    this.keep(res);
    return res;
  }
}

export class ScriptedReviewer {
  decisions = 0;
  errors = 0;
  private readonly evidence: StaffClient;
  private readonly legal: StaffClient;
  private signedIn = false;

  constructor(
    base: string,
    password: string,
    private readonly parties: () => Promise<string[]>,
  ) {
    this.evidence = new StaffClient(base, 'demo_evidence', password);
    this.legal = new StaffClient(base, 'demo_legal', password);
  }

  /** One round: every task either reviewer can take now is decided. */
  async round(): Promise<void> {
    try {
      if (!this.signedIn) {
        await this.evidence.signIn();
        await this.legal.signIn();
        this.signedIn = true;
      }
      const parties = await this.parties();
      for (const [client, stage] of [
        [this.evidence, 'evidence'],
        [this.legal, 'legal'],
      ] as const) {
        for (let i = 0; i < 20; i++) {
          const claim = await client.post('/api/review/claim', {});
          if (claim.status === 401 || claim.status === 403) {
            this.signedIn = false;
            return;
          }
          if (claim.status !== 200) break;
          const { task } = (await claim.json()) as { task: { id: string } };
          const partyId = parties[Math.floor(Math.random() * parties.length)];
          const body = stage === 'legal' ? { decision: 'approve', partyId } : { decision: 'approve' };
          const decided = await client.post(`/api/review/tasks/${task.id}/decision`, body);
          if (decided.status === 200) this.decisions++;
          else this.errors++;
        }
      }
    } catch {
      this.errors++;
      this.signedIn = false;
    }
  }
}
