// A relying party from another ecosystem: oauth4webapi (npm), driven by
// tests/OAuthFunctions.Tests.Integration/OpenIdConnect/OAuth4WebApiTests.cs.
//
//   node relying-party.mjs start  <issuer> <client_id> <redirect_uri>
//     prints {"url","state","nonce","verifier"}: the authorization request to send the browser to.
//   node relying-party.mjs finish <issuer> <client_id> <client_secret> <redirect_uri> <callback_url> <state> <nonce> <verifier>
//     validates the authorization response, redeems the code and validates the ID token strictly:
//     the library checks iss, aud, exp, iat, nonce and the JWS signature against the discovered jwks_uri;
//     this script adds at_hash (OpenID Connect Core §3.1.3.6), which the library checks only for c_hash.
//     Then it reads UserInfo and requires the same sub. Prints the claims; exits 1 with the reason otherwise.
import * as oauth from 'oauth4webapi';

const [command, ...args] = process.argv.slice(2);
// The server under test is plain HTTP on loopback; nothing else may be.
const insecure = { [oauth.allowInsecureRequests]: true };

async function discover(issuer) {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(url, response);
}

async function start(issuer, clientId, redirectUri) {
  const as = await discover(issuer);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid profile email');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.href, state, nonce, verifier };
}

async function atHash(accessToken) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)));
  return Buffer.from(digest.slice(0, digest.length / 2)).toString('base64url');
}

async function finish(issuer, clientId, clientSecret, redirectUri, callbackUrl, state, nonce, verifier) {
  const as = await discover(issuer);
  const client = { client_id: clientId, id_token_signed_response_alg: 'RS256' };
  const auth = oauth.ClientSecretPost(clientSecret);
  const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  await oauth.validateApplicationLevelSignature(as, response, insecure);
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (claims.at_hash !== await atHash(result.access_token)) {
    throw new Error('at_hash does not match the access token');
  }

  const info = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, result.access_token, insecure));
  return { iss: claims.iss, aud: claims.aud, sub: claims.sub, nonce: claims.nonce, name: claims.name, email: info.email, userinfo_sub: info.sub };
}

try {
  const output = command === 'start' ? await start(...args) : command === 'finish' ? await finish(...args) : null;
  if (output === null) {
    throw new Error('usage: relying-party.mjs start|finish …');
  }

  process.stdout.write(JSON.stringify(output));
} catch (error) {
  process.stderr.write(`${error.code ?? error.name}: ${error.message}\n`);
  process.exit(1);
}
