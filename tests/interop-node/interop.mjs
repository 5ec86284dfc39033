// Other Binance clients against the BinanceKeys sandbox: ccxt and Binance's official wallet SDK (@binance/wallet), at
// the exact versions of package-lock.json, each used as its own users use it (docs/binance.md §6). Run by
// tests/BinanceKeys.Sandbox.Tests/NodeInteropTests.cs against a sandbox process:
//
//   SANDBOX_URL=http://127.0.0.1:PORT API_KEY=... API_SECRET=... RESERVED=lenient|strict node interop.mjs
//
// Prints one line per check and a closing "N passed, M failed"; exits non-zero when a check fails.
import ccxt from 'ccxt';
import { Wallet } from '@binance/wallet';

const base = required('SANDBOX_URL').replace(/\/$/, '');
const apiKey = required('API_KEY');
const apiSecret = required('API_SECRET');
const reserved = process.env.RESERVED ?? 'lenient';
const plusEmail = 'desk+plus@example.com';

let passed = 0;
let failed = 0;

function required(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`${name} is not set`);
        process.exit(2);
    }
    return value;
}

async function check(name, action) {
    try {
        const detail = await action();
        passed++;
        console.log(`PASS ${name}${detail ? ': ' + detail : ''}`);
    } catch (error) {
        failed++;
        console.log(`FAIL ${name}: ${error?.message ?? error}`);
    }
}

function expect(condition, message) {
    if (!condition) throw new Error(message);
}

// ---- Binance's official wallet SDK -------------------------------------------------------------------------------
const wallet = new Wallet({ configurationRestAPI: { apiKey, apiSecret, basePath: base } });

await check('@binance/wallet systemStatus', async () => {
    const status = await (await wallet.restAPI.systemStatus()).data();
    expect(status.status === 0 && status.msg === 'normal', JSON.stringify(status));
});

await check('@binance/wallet getApiKeyPermission', async () => {
    const permission = await (await wallet.restAPI.getApiKeyPermission()).data();
    expect(permission.ipRestrict === true, 'ipRestrict ' + permission.ipRestrict);
    expect(permission.enableReading === true && permission.enableSpotAndMarginTrading === true, JSON.stringify(permission));
    expect(permission.enableWithdrawals === false, 'enableWithdrawals');
    return `${Object.keys(permission).length} fields`;
});

await check('@binance/wallet accountInfo', async () => {
    const info = await (await wallet.restAPI.accountInfo()).data();
    expect(info.isFutureEnabled === true && info.isMarginEnabled === true, JSON.stringify(info));
});

// A signed call with an email that needs percent-encoding ('+' and '@'): the SDK encodes before it signs (§1.2).
await check('@binance/wallet signed GET /sapi/v1/sub-account/list with an email', async () => {
    const response = await wallet.restAPI.sendSignedRequest('/sapi/v1/sub-account/list', 'GET', { email: 'desk-a@example.com' });
    const list = await response.data();
    expect(list.subAccounts.length === 1 && list.subAccounts[0].email === 'desk-a@example.com', JSON.stringify(list));
    return 'desk-a@example.com';
});

// ---- ccxt -------------------------------------------------------------------------------------------------------------
const exchange = new ccxt.binance({
    apiKey,
    secret: apiSecret,
    urls: { api: { public: `${base}/api/v3`, private: `${base}/api/v3`, sapi: `${base}/sapi/v1`, sapiV2: `${base}/sapi/v2` } },
});

await check('ccxt publicGetTime', async () => {
    const time = await exchange.publicGetTime();
    expect(typeof time.serverTime === 'number', JSON.stringify(time));
});

await check('ccxt privateGetAccount (GET /api/v3/account)', async () => {
    const account = await exchange.privateGetAccount();
    expect(account.accountType === 'SPOT' && Array.isArray(account.balances), JSON.stringify(account));
});

await check('ccxt sapiGetAccountApiRestrictions (the key permission)', async () => {
    const permission = await exchange.sapiGetAccountApiRestrictions();
    expect(permission.ipRestrict === true && permission.enableSpotAndMarginTrading === true, JSON.stringify(permission));
});

await check('ccxt sapiGetSubAccountList (every sub-account)', async () => {
    const list = await exchange.sapiGetSubAccountList({ limit: 200 });
    const emails = list.subAccounts.map(a => a.email);
    expect(emails.includes('desk-a@example.com') && emails.includes('desk-c@example.com'), JSON.stringify(emails));
    return `${emails.length} sub-accounts`;
});

await check('ccxt sapiGetSubAccountStatus', async () => {
    const status = await exchange.sapiGetSubAccountStatus();
    expect(Array.isArray(status) && status.length >= 3, JSON.stringify(status));
});

// ccxt sends sub-account parameters raw (rawencode): an email's '@' unencoded. Binance's canonical form for raw
// reserved ASCII is not documented (§1.2): the sandbox verifies it as sent when lenient, and refuses it when strict.
await check(`ccxt sapiGetSubAccountList with email desk-a@ sent raw (reservedCharacters: ${reserved})`, async () => {
    try {
        const list = await exchange.sapiGetSubAccountList({ email: 'desk-a@example.com' });
        expect(reserved === 'lenient', 'strict accepted a raw @');
        expect(list.subAccounts.length === 1 && list.subAccounts[0].email === 'desk-a@example.com', JSON.stringify(list));
        return 'accepted';
    } catch (error) {
        if (reserved === 'strict' && String(error.message).includes('-1022')) return 'refused with -1022, as strict says';
        throw error;
    }
});

// The wallet SDK again with '+' and '@' in the email: percent-encoded, so both readings accept it.
await check(`@binance/wallet email ${plusEmail} percent-encoded (reservedCharacters: ${reserved})`, async () => {
    const list = await (await wallet.restAPI.sendSignedRequest('/sapi/v1/sub-account/list', 'GET', { email: plusEmail })).data();
    expect(list.subAccounts.length === 1 && list.subAccounts[0].email === plusEmail, JSON.stringify(list));
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
