import * as client from 'openid-client';

/**
 * The relying party's side of OpenID Connect (authorization code flow with PKCE, state and nonce), through
 * openid-client. The provider's metadata is discovered on first use and kept; a failed discovery is tried again
 * on the next sign-in, so the API starts even while the provider is down.
 */

export interface OidcClientOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** how the client authenticates at the token endpoint (OpenID Connect's default is HTTP Basic) */
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
  redirectUrl: string;
  scopes: string;
  /** plain HTTP to the provider (local providers and tests only; refused in production by the configuration) */
  allowHttp: boolean;
}

/** What must survive the round trip through the provider (kept in a signed cookie). */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
}

export class OidcProviderUnavailableError extends Error {
  override name = 'OidcProviderUnavailableError';
}

export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly o: OidcClientOptions) {}

  get issuer(): string {
    return this.o.issuer;
  }

  private config(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.o.issuer),
        this.o.clientId,
        undefined,
        !this.o.clientSecret
          ? client.None()
          : this.o.tokenAuth === 'client_secret_post'
            ? client.ClientSecretPost(this.o.clientSecret)
            : client.ClientSecretBasic(this.o.clientSecret),
        this.o.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        this.configuration = null;
        throw new OidcProviderUnavailableError(
          `the identity provider ${this.o.issuer} could not be reached: ${(err as Error).message}`,
          { cause: err },
        );
      });
    return this.configuration;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async begin(): Promise<{ url: URL; flow: OidcFlow }> {
    const config = await this.config();
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.o.redirectUrl,
      scope: this.o.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { url, flow };
  }

  /**
   * Exchanges the code for tokens (checking state, nonce, PKCE and the ID token's signature) and returns the ID
   * token's claims merged with the UserInfo answer, which is where providers put most profile claims.
   */
  async finish(query: string, flow: OidcFlow): Promise<Record<string, unknown>> {
    const config = await this.config();
    const current = new URL(this.o.redirectUrl);
    current.search = query;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    const userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    return { ...userInfo, ...idClaims };
  }
}
