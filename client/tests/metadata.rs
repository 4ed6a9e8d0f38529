//! The committed `client/metadata.scale` must be the metadata of the runtime in this tree: the
//! client's static interface is generated from it. After a runtime change, run
//! `bash scripts/metadata` and commit the new file.
use merit_e2e::{Node, NodeConfig};
use serde_json::json;
use subxt::ext::codec::Decode;

#[test]
fn committed_metadata_matches_the_dev_node() {
	let committed: &[u8] = include_bytes!("../metadata.scale");
	assert_eq!(&committed[..4], b"meta", "client/metadata.scale is not RuntimeMetadataPrefixed");
	let version = committed[4] as u32;
	let node = Node::start(NodeConfig::dev("client-metadata"));
	let answer = node.rpc(
		"state_call",
		json!(["Metadata_metadata_at_version", format!("0x{}", hex::encode(version.to_le_bytes()))]),
	);
	let bytes = hex::decode(answer.as_str().expect("state_call returns hex").trim_start_matches("0x")).unwrap();
	let served = Option::<Vec<u8>>::decode(&mut &bytes[..])
		.expect("Metadata_metadata_at_version returns Option<OpaqueMetadata>")
		.unwrap_or_else(|| panic!("the runtime no longer offers metadata V{version}: run `bash scripts/metadata`"));
	assert!(
		served == committed,
		"client/metadata.scale ({} bytes) is not the dev node's metadata V{version} ({} bytes): \
		 the runtime changed; run `bash scripts/metadata`, rebuild the client and commit client/metadata.scale",
		committed.len(),
		served.len()
	);
}
