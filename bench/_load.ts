import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
void (async () => {
  const dir = process.env.DIR!;
  const e = JSON.parse(readFileSync(`${dir}/endpoints.json`, 'utf8'));
  const user = e.demoUsers.find((u: any) => u.groups.includes(process.argv[2]));
  const res = await fetch(e.cognito.endpoint, { method: 'POST', headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: e.cognito.clientId, AuthParameters: { USERNAME: user.email, PASSWORD: user.password } }) });
  const token = ((await res.json()) as any).AuthenticationResult.IdToken;
  await autocannon({ url: e.apiUrl + process.argv[3], connections: 20, duration: 6, headers: { Authorization: token } });
  const r = await autocannon({ url: e.apiUrl + process.argv[3], connections: 20, duration: Number(process.argv[4] ?? 8), headers: { Authorization: token } });
  console.log(process.argv[3], Math.round(r.requests.average), 'req/s p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx);
})();
