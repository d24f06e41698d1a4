// panva's certified `oidc-provider`, configured as a DigiD broker for the interop test: our
// client must log in here with PKCE S256 and private_key_jwt (ES256), and verify an RS256 ID
// token against this provider's JWKS. Loopback only; development interactions (any login name,
// any password) enabled. The login name is the BSN the broker would hand over.
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const callback = process.env.CALLBACK;
const clientKey = process.env.CLIENT_KEY;
if (!port || !callback || !clientKey) {
  console.error('PORT, CALLBACK en CLIENT_KEY zijn verplicht');
  process.exit(2);
}

const clientJwk = {
  ...createPublicKey(clientKey).export({ format: 'jwk' }),
  use: 'sig',
  alg: 'ES256',
  kid: 'dev-client-1',
};
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'interop-1' };

// A pairwise-style subject per BSN: the broker never puts the BSN in `sub`.
const subjects = new Map();
const subjectOf = (bsn) => {
  if (!subjects.has(bsn)) subjects.set(bsn, randomUUID());
  return subjects.get(bsn);
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'mijn-herstel',
      redirect_uris: [callback],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'RS256',
      jwks: { keys: [clientJwk] },
    },
  ],
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true },
  scopes: ['openid', 'digid'],
  claims: { openid: ['sub'], digid: ['bsn', 'loa', 'name'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['alleen-voor-de-interoptest'] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: subjectOf(id),
          bsn: id,
          loa: 'http://eidas.europa.eu/LoA/substantial',
          name: 'Ouder via de interop-broker',
        };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider klaar op ${port}`));
