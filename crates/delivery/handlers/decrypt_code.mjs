// Decrypts the `request.code` of a CustomEmailSender / CustomSMSSender event sent by userpool
// with a local code key (userpool_delivery::LocalKeyEncryptor, format version 1).
//
//   node decrypt_code.mjs CODE KEY_BASE64 USER_POOL_ID   # prints the code
//
// In a Lambda handler: decryptCode(event.request.code, key, event.userPoolId).
import { createDecipheriv } from "node:crypto";

export function decryptCode(code, key, userPoolId) {
  const blob = Buffer.from(code, "base64");
  if (blob[0] !== 1) throw new Error("unknown code format");
  const d = createDecipheriv("aes-256-gcm", key, blob.subarray(1, 13));
  d.setAAD(Buffer.from(userPoolId, "utf8"));
  d.setAuthTag(blob.subarray(blob.length - 16));
  return Buffer.concat([d.update(blob.subarray(13, blob.length - 16)), d.final()]).toString("utf8");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [code, key, pool] = process.argv.slice(2);
  console.log(decryptCode(code, Buffer.from(key, "base64"), pool));
}
