/**
 * The spec's test vectors (§2), written once for every test that signs or parses them: accessKey,
 * nonce and timestamp, the kit body with its canonical payload and x-sign, the basic body with its
 * body hash and signature. The bodies are kept as KooGallery sends them (unsorted key order).
 */
export const ACCESS_KEY = 'demo-access-key';
export const NONCE = '50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA';
export const TIMESTAMP = '1680508066618';

export const KIT_BODY = {
  instanceId: 'huaweitest123456',
  orderId: 'CS1906666666ABCDE',
  tenantId: '68cbc86abc',
  tenantCode: 'huawei',
  name: 'huaweitest',
  domainName: 'https://example.tenantaccount.com',
  flag: 1,
  testFlag: 0,
  timeStamp: '20220413093539534',
};
export const KIT_BODY_TEXT = JSON.stringify(KIT_BODY);
export const KIT_PAYLOAD =
  '{"domainName":"https://example.tenantaccount.com","flag":1,"instanceId":"huaweitest123456","name":"huaweitest","orderId":"CS1906666666ABCDE","tenantCode":"huawei","tenantId":"68cbc86abc","testFlag":0,"timeStamp":"20220413093539534"}';
export const KIT_SIGN = 'a21123ffab78f484c5ff619fa60fd82e4987bfeb67f243e7267265495c2e20c2';

export const BASIC_BODY = { activity: 'newInstance', businessId: '87b94795-0603-4e24-8ae5-69420d60e3c8', orderId: 'CS2211181819B4LVS', orderLineId: 'CS2211181819B4LVS-000001', testFlag: '1' };
export const BASIC_BODY_TEXT = JSON.stringify(BASIC_BODY);
export const BASIC_HASH = 'ade5f66c0bcb8b1c5bc95f28ddd2c5bda047ffe6afed8fc40b932e2324ad1db2';
export const BASIC_SIGN = '242fea63fa8ebf7624ae1f4cfcb663d1758ba57ea74d09167d9f5a574bd782ad';
