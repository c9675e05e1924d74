//! RFC 3161 trusted timestamps over a manifest's sha256: the request a
//! timestamp authority (TSA) answers, the checks of its answer on receipt
//! (status, nonce, message imprint, time), and the full check of a stored
//! answer against trusted CAs (the CMS signature over the token, and the
//! TSA certificate's chain, valid at the token's time, for time stamping).
//! What `openssl ts -verify` accepts.

use std::path::Path;
use std::time::{Duration, SystemTime};

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{Int, OctetString};
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode};
use pki_types::pem::PemObject;
use pki_types::{CertificateDer, UnixTime};
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use super::EvidenceError;

const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-kp-timeStamping (1.3.6.1.5.5.7.3.8), DER value bytes.
const EKU_TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];

/// How far a token's time may be from the clock when it is received.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The HTTP content types of RFC 3161 over HTTP.
pub const QUERY_CONTENT_TYPE: &str = "application/timestamp-query";
pub const REPLY_CONTENT_TYPE: &str = "application/timestamp-reply";

/// A time-stamp request: DER bytes to POST, and what the answer must echo.
#[derive(Debug, Clone)]
pub struct Request {
    pub der: Vec<u8>,
    nonce: Vec<u8>,
    imprint: [u8; 32],
    sent: SystemTime,
}

/// What a checked token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    /// The TSA's time, RFC 3339 UTC.
    pub gen_time: String,
    pub serial: String,
}

/// A request over `sha256` (the digest of the stamped bytes) with a fresh
/// 64-bit nonce, asking for the TSA's certificate in the answer.
pub fn request(sha256: &[u8; 32]) -> Result<Request, EvidenceError> {
    let mut nonce = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
        .map_err(|_| EvidenceError::Encode("the system random generator failed".to_string()))?;
    // A positive INTEGER in its shortest form: top bit clear, first byte not 0.
    nonce[0] = (nonce[0] & 0x7f) | 0x01;
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: imprint_of(sha256)?,
        req_policy: None,
        nonce: Some(Int::new(&nonce).map_err(|e| EvidenceError::Encode(e.to_string()))?),
        cert_req: true,
        extensions: None,
    };
    let der = req
        .to_der()
        .map_err(|e| EvidenceError::Encode(e.to_string()))?;
    Ok(Request {
        der,
        nonce: nonce.to_vec(),
        imprint: *sha256,
        sent: SystemTime::now(),
    })
}

fn imprint_of(sha256: &[u8; 32]) -> Result<MessageImprint, EvidenceError> {
    Ok(MessageImprint {
        hash_algorithm: spki::AlgorithmIdentifier {
            oid: SHA256,
            parameters: Some(Any::null()),
        },
        hashed_message: OctetString::new(sha256.to_vec())
            .map_err(|e| EvidenceError::Encode(e.to_string()))?,
    })
}

/// Check an answer on receipt: granted, a token over our digest with our
/// nonce, its time within [`CLOCK_SKEW`] of the request and of now.
pub fn check_reply(request: &Request, reply: &[u8]) -> Result<TokenFacts, String> {
    let parsed = parse(reply)?;
    check_imprint(&parsed.info, &request.imprint)?;
    let nonce = parsed.info.nonce.as_ref().map(|n| n.as_bytes());
    if nonce != Some(request.nonce.as_slice()) {
        return Err(
            "the token does not carry the request's nonce (a replayed answer?)".to_string(),
        );
    }
    let gen_time = parsed.info.gen_time.to_system_time();
    let now = SystemTime::now();
    let too_early = request
        .sent
        .checked_sub(CLOCK_SKEW)
        .is_some_and(|t| gen_time < t);
    let too_late = now.checked_add(CLOCK_SKEW).is_some_and(|t| gen_time > t);
    if too_early || too_late {
        return Err(format!(
            "the token's time {} is more than {} s from this machine's clock",
            rfc3339(&parsed.info),
            CLOCK_SKEW.as_secs()
        ));
    }
    Ok(parsed.facts())
}

/// Certificates of trusted timestamp CAs, from a PEM file.
#[derive(Debug, Clone, Default)]
pub struct TrustedCas {
    certs: Vec<CertificateDer<'static>>,
}

impl TrustedCas {
    pub fn load(path: &Path) -> Result<TrustedCas, EvidenceError> {
        let bytes = std::fs::read(path).map_err(|source| EvidenceError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let certs = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| EvidenceError::TsaCa {
                path: path.to_path_buf(),
                detail: format!("not PEM certificates ({e})"),
            })?;
        if certs.is_empty() {
            return Err(EvidenceError::TsaCa {
                path: path.to_path_buf(),
                detail: "no certificate in it".to_string(),
            });
        }
        Ok(TrustedCas { certs })
    }
}

/// Check a stored answer: granted, over `sha256`, and signed by a TSA
/// certificate that chains to one of `cas` and may stamp times.
pub fn verify(reply: &[u8], sha256: &[u8; 32], cas: &TrustedCas) -> Result<TokenFacts, String> {
    let parsed = parse(reply)?;
    check_imprint(&parsed.info, sha256)?;
    let [signer] = parsed.signed.signer_infos.0.as_slice() else {
        return Err("the token does not have exactly one signer".to_string());
    };
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or("the token's signer has no signed attributes")?;
    let attr = |oid: ObjectIdentifier| {
        attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let content_type = attr(CONTENT_TYPE)
        .and_then(|v| v.decode_as::<ObjectIdentifier>().ok())
        .ok_or("the token's signed attributes name no content type")?;
    if content_type != TST_INFO {
        return Err("the token's signed content type is not TSTInfo".to_string());
    }
    let digest = attr(MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("the token's signed attributes carry no message digest")?;
    let expected = digest_of(&signer.digest_alg.oid, &parsed.tst_der)
        .ok_or("the token's digest algorithm is not SHA-256, -384 or -512")?;
    if digest.as_bytes() != expected.as_slice() {
        return Err("the token's content does not match its signed digest".to_string());
    }
    let signed_bytes = attrs
        .to_der()
        .map_err(|e| format!("the signed attributes do not re-encode: {e}"))?;
    let signature = signer.signature.as_bytes();

    let certs: Vec<CertificateDer<'static>> = parsed
        .signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => c.to_der().ok(),
            _ => None,
        })
        .map(CertificateDer::from)
        .collect();
    if certs.is_empty() {
        return Err("the token carries no TSA certificate".to_string());
    }
    let anchors = cas
        .certs
        .iter()
        .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
        .collect::<Vec<_>>();
    let at = UnixTime::since_unix_epoch(parsed.info.gen_time.to_unix_duration());
    let mut last = String::from("no certificate in the token signs it");
    for (i, cert) in certs.iter().enumerate() {
        let Ok(ee) = webpki::EndEntityCert::try_from(cert) else {
            continue;
        };
        let signed = webpki::ALL_VERIFICATION_ALGS
            .iter()
            .any(|alg| ee.verify_signature(*alg, &signed_bytes, signature).is_ok());
        if !signed {
            continue;
        }
        let others: Vec<CertificateDer<'_>> = certs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c.clone())
            .collect();
        match ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &others,
            at,
            webpki::KeyUsage::required(EKU_TIME_STAMPING),
            None,
            None,
        ) {
            Ok(_) => return Ok(parsed.facts()),
            Err(e) => {
                last = format!("the TSA certificate is not trusted for time stamping ({e:?})")
            }
        }
    }
    Err(last)
}

/// Check that an answer is a granted token over `sha256`, without checking
/// who signed it (no trusted CA configured).
pub fn check_digest(reply: &[u8], sha256: &[u8; 32]) -> Result<TokenFacts, String> {
    let parsed = parse(reply)?;
    check_imprint(&parsed.info, sha256)?;
    Ok(parsed.facts())
}

struct Parsed {
    info: TstInfo,
    tst_der: Vec<u8>,
    signed: SignedData,
}

impl Parsed {
    fn facts(&self) -> TokenFacts {
        TokenFacts {
            gen_time: rfc3339(&self.info),
            serial: crate::digest::hex(self.info.serial_number.as_bytes()),
        }
    }
}

fn parse(reply: &[u8]) -> Result<Parsed, String> {
    let resp = match TimeStampResp::from_der(reply) {
        Ok(r) => r,
        // A refusal whose failure bits the typed decoder does not take.
        Err(e) => {
            return Err(refusal(reply)
                .unwrap_or_else(|| format!("not an RFC 3161 time-stamp response ({e})")))
        }
    };
    use cmpv2::status::PkiStatus;
    match resp.status.status {
        PkiStatus::Accepted | PkiStatus::GrantedWithMods => {}
        other => {
            let text = resp
                .status
                .status_string
                .iter()
                .flat_map(|s| s.iter())
                .map(|s| s.as_str().to_string())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(format!("the authority refused: {other:?} {text}")
                .trim()
                .to_string());
        }
    }
    let token: ContentInfo = resp
        .time_stamp_token
        .ok_or("the answer is granted but carries no token")?;
    if token.content_type != SIGNED_DATA {
        return Err("the token is not CMS SignedData".to_string());
    }
    let signed = token
        .content
        .decode_as::<SignedData>()
        .map_err(|e| format!("the token is not CMS SignedData ({e})"))?;
    if signed.encap_content_info.econtent_type != TST_INFO {
        return Err("the token's content is not TSTInfo".to_string());
    }
    let tst_der = signed
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
        .map(|o| o.as_bytes().to_vec())
        .ok_or("the token has no TSTInfo content")?;
    let info =
        TstInfo::from_der(&tst_der).map_err(|e| format!("the TSTInfo does not parse ({e})"))?;
    Ok(Parsed {
        info,
        tst_der,
        signed,
    })
}

/// The status of an answer read loosely (`SEQUENCE { SEQUENCE { status,
/// [texts], [failInfo] }, ... }`), for refusals: `None` if granted or
/// unreadable.
fn refusal(reply: &[u8]) -> Option<String> {
    let outer = Vec::<Any>::from_der(reply).ok()?;
    let info = outer.first()?.decode_as::<Vec<Any>>().ok()?;
    let status = info.first()?.decode_as::<u8>().ok()?;
    if status <= 1 {
        return None;
    }
    let text = info
        .get(1)
        .and_then(|t| t.decode_as::<Vec<Any>>().ok())
        .map(|texts| {
            texts
                .iter()
                .filter_map(|t| t.decode_as::<der::asn1::Utf8StringRef<'_>>().ok())
                .map(|t| t.as_str().to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    Some(
        format!("the authority refused (status {status}) {text}")
            .trim()
            .to_string(),
    )
}

fn check_imprint(info: &TstInfo, sha256: &[u8; 32]) -> Result<(), String> {
    let imprint = &info.message_imprint;
    if imprint.hash_algorithm.oid != SHA256 || imprint.hashed_message.as_bytes() != sha256 {
        return Err("the token stamps another digest than the manifest's sha256".to_string());
    }
    Ok(())
}

fn digest_of(oid: &ObjectIdentifier, bytes: &[u8]) -> Option<Vec<u8>> {
    use ring::digest;
    let alg = match oid.to_string().as_str() {
        "2.16.840.1.101.3.4.2.1" => &digest::SHA256,
        "2.16.840.1.101.3.4.2.2" => &digest::SHA384,
        "2.16.840.1.101.3.4.2.3" => &digest::SHA512,
        _ => return None,
    };
    Some(digest::digest(alg, bytes).as_ref().to_vec())
}

fn rfc3339(info: &TstInfo) -> String {
    let secs = info.gen_time.to_unix_duration().as_secs();
    time::OffsetDateTime::from_unix_timestamp(secs as i64)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_the_digest_and_a_fresh_nonce() -> Result<(), Box<dyn std::error::Error>> {
        let digest = [7u8; 32];
        let a = request(&digest)?;
        let b = request(&digest)?;
        assert_ne!(a.nonce, b.nonce);
        let parsed = TimeStampReq::from_der(&a.der)?;
        assert!(parsed.cert_req);
        assert_eq!(parsed.message_imprint.hashed_message.as_bytes(), &digest);
        assert_eq!(parsed.message_imprint.hash_algorithm.oid, SHA256);
        let nonce = parsed.nonce.ok_or("the request carries no nonce")?;
        assert_eq!(nonce.as_bytes(), a.nonce.as_slice());
        Ok(())
    }

    #[test]
    fn a_refusal_says_why() -> Result<(), Box<dyn std::error::Error>> {
        // What `openssl ts -reply` answers when its serial file is unusable.
        let mut refusal = vec![
            0x30, 0x35, 0x30, 0x33, 0x02, 0x01, 0x02, 0x30, 0x28, 0x0c, 0x26,
        ];
        refusal.extend_from_slice(b"Error during serial number generation.");
        refusal.extend_from_slice(&[0x03, 0x04, 0x06, 0x00, 0x00, 0x40]);
        let req = request(&[1u8; 32])?;
        let e = check_reply(&req, &refusal).unwrap_err();
        assert_eq!(
            e,
            "the authority refused (status 2) Error during serial number generation."
        );
        Ok(())
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() -> Result<(), Box<dyn std::error::Error>> {
        let req = request(&[1u8; 32])?;
        for bytes in [
            &b""[..],
            b"\x30\x03\x02\x01\x02",
            b"not der at all",
            &req.der,
        ] {
            assert!(check_reply(&req, bytes).is_err());
            assert!(verify(bytes, &[1u8; 32], &TrustedCas::default()).is_err());
        }
        Ok(())
    }
}
