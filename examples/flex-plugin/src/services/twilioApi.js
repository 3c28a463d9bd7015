// DEMO ONLY. The values below are FAKE (hexspeak), planted so that flexguard has something to
// find. This is the anti-pattern flexguard exists to stop: credentials and a direct REST call in
// code that ships to every agent's browser.
const ACCOUNT_SID = 'ACf00dfacefeedbeefdecafbad0ddba115'; // FAKE

export function sendSms(to, body) {
  return fetch(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    body: new URLSearchParams({ To: to, From: '+15005550006', Body: body }),
  });
}
