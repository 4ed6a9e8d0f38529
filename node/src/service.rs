//! Assembles the node: database, block import, networking, Aura authoring and GRANDPA voting (or
//! instant sealing on a development chain), off-chain workers (the evaluators) and RPC.
use std::{sync::Arc, time::Duration};

use futures::FutureExt;
use merit_runtime::{apis::RuntimeApi, opaque::Block};
use polkadot_sdk::{
	sc_basic_authorship,
	sc_client_api::{Backend, BlockBackend},
	sc_consensus, sc_consensus_aura,
	sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa,
	sc_consensus_grandpa::SharedVoterState,
	sc_consensus_manual_seal, sc_executor, sc_network, sc_offchain, sc_service,
	sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig},
	sc_telemetry::{Telemetry, TelemetryWorker},
	sc_transaction_pool,
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_consensus_aura::sr25519::AuthorityPair as AuraPair,
	sp_io,
	sp_runtime::traits::Block as BlockT,
	sp_timestamp,
};

/// The client, executing the WASM runtime with Substrate's host functions.
pub(crate) type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport = sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLinkHalf = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// Every 512th block carries a GRANDPA justification, so syncing nodes can verify finality cheaply.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts shared by the node and the maintenance commands.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(GrandpaBlockImport, GrandpaLinkHalf, Option<Telemetry>),
>;

/// The Aura inherents (slot and timestamp) of a block being authored or imported now.
fn aura_inherents(
	slot_duration: polkadot_sdk::sp_consensus_aura::SlotDuration,
) -> (polkadot_sdk::sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = polkadot_sdk::sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// How an authority makes blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
	/// Aura slots and GRANDPA finality: every real chain.
	Aura,
	/// Development: a block as soon as a transaction is ready and at least every `interval`, each
	/// final at once, by this node alone.
	Instant {
		/// The longest time between two blocks.
		interval: Duration,
	},
}

/// What a node's way of making blocks holds between building the network and starting to author.
enum Authoring {
	/// Aura and GRANDPA: GRANDPA's notification protocol, registered with the network.
	Aura { grandpa_notifications: Box<dyn sc_network::NotificationService> },
	/// Instant sealing: the heartbeat and the RPC's seal requests.
	Instant {
		interval: Duration,
		requests: futures::channel::mpsc::Receiver<sc_consensus_manual_seal::EngineCommand<<Block as BlockT>::Hash>>,
	},
}

/// Opens the database and builds the client, the transaction pool and the (Aura) import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	new_partial_sealing(config, Sealing::Aura)
}

/// [`new_partial`] for a node that makes blocks by `sealing`: an instantly sealing node imports
/// blocks without Aura's checks (it is the only author of its chain).
fn new_partial_sealing(config: &Configuration, sealing: Sealing) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, polkadot_sdk::sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) = sc_service::new_full_parts::<Block, RuntimeApi, _>(
		config,
		telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
		executor,
		// No extra pruning filters: the default block pruning keeps every canonical block.
		Vec::new(),
	)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let import_queue = if let Sealing::Instant { .. } = sealing {
		sc_consensus_manual_seal::import_queue(
			Box::new(client.clone()),
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		)
	} else {
		let slot_client = client.clone();
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let slot_client = slot_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(&*slot_client, parent_hash)?;
					Ok(aura_inherents(slot_duration))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// Tells the evaluators' off-chain workers, through local storage, whether they may fetch from
/// private hosts: on development and local chains, or when the operator said so. Cleared
/// otherwise, so a flag from an earlier start does not linger.
fn allow_private_fetches(backend: &FullBackend, config: &Configuration, operator_allows: bool) {
	use polkadot_sdk::{
		sc_service::ChainType,
		sp_core::offchain::{OffchainStorage, STORAGE_PREFIX},
	};
	let Some(mut storage) = backend.offchain_storage() else { return };
	let key = pallet_merit_scoring::ALLOW_PRIVATE_HOSTS_KEY;
	let test_chain = matches!(config.chain_spec.chain_type(), ChainType::Development | ChainType::Local);
	if test_chain || operator_allows {
		storage.set(STORAGE_PREFIX, key, b"1");
	} else {
		storage.remove(STORAGE_PREFIX, key);
	}
}

/// Builds and starts a full node; an authority also authors blocks and votes on finality.
/// `private_urls`: its evaluators may fetch from private hosts on any chain (they always may on
/// development and local ones).
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	private_urls: bool,
	sealing: Sealing,
) -> Result<TaskManager, ServiceError> {
	use polkadot_sdk::sc_service::ChainType;
	if sealing != Sealing::Aura {
		if !matches!(config.chain_spec.chain_type(), ChainType::Development | ChainType::Local) {
			return Err(ServiceError::Other(format!(
				"--sealing instant is for development and local chains only; `{}` is a {:?} chain",
				config.chain_spec.id(),
				config.chain_spec.chain_type()
			)));
		}
		if !config.role.is_authority() {
			return Err(ServiceError::Other(
				"--sealing instant needs an authority (--dev, --validator or --alice)".into(),
			));
		}
	}
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial_sealing(&config, sealing)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, <Block as BlockT>::Hash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let genesis_hash =
		client.block_hash(0)?.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	// What each way of making blocks needs from the network and the RPC before they are built. An
	// instantly sealing node finalizes its own blocks (it neither votes nor speaks GRANDPA) and
	// also seals on request (`engine_createBlock`), so a script can move its chain past a phase in
	// seconds.
	let (authoring, seal_requests) = match sealing {
		Sealing::Aura => {
			let (grandpa_protocol_config, grandpa_notifications) = sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				grandpa_protocol_name.clone(),
				metrics.clone(),
				net_config.peer_store_handle(),
			);
			net_config.add_notification_protocol(grandpa_protocol_config);
			(Authoring::Aura { grandpa_notifications }, None)
		}
		Sealing::Instant { interval } => {
			let (sink, requests) = futures::channel::mpsc::channel(1024);
			(Authoring::Instant { interval, requests }, Some(sink))
		}
	};

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	// Off-chain workers are how evaluators score submissions: they need HTTP and may submit
	// signed transactions through the pool.
	if config.offchain_worker.enabled {
		allow_private_fetches(&backend, &config, private_urls);
		let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
			runtime_api_provider: client.clone(),
			is_validator: config.role.is_authority(),
			keystore: Some(keystore_container.keystore()),
			offchain_db: backend.offchain_storage(),
			transaction_pool: Some(OffchainTransactionPoolFactory::new(transaction_pool.clone())),
			network_provider: Arc::new(network.clone()),
			enable_http_requests: true,
			custom_extensions: |_| vec![],
		})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let node_name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				seal_requests: seal_requests.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let new_proposer_factory = || {
		sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		)
	};
	let grandpa_notifications = match authoring {
		Authoring::Instant { interval, requests } => {
			let proposer_factory = new_proposer_factory();
			start_instant_sealing(
				&task_manager,
				client,
				transaction_pool,
				select_chain,
				proposer_factory,
				interval,
				requests,
			)?;
			return Ok(task_manager);
		}
		Authoring::Aura { grandpa_notifications } => grandpa_notifications,
	};

	if role.is_authority() {
		let proposer_factory = new_proposer_factory();

		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(StartAuraParams {
			slot_duration,
			client,
			select_chain,
			block_import,
			proposer_factory,
			create_inherent_data_providers: move |_, ()| async move { Ok(aura_inherents(slot_duration)) },
			force_authoring,
			backoff_authoring_blocks: Option::<()>::None,
			keystore: keystore_container.keystore(),
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

		// Authoring is essential: if it fails, the node stops rather than silently not producing blocks.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only an authority votes, so only it needs the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(node_name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notifications,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// The timestamp of an instantly sealed block on `parent`: the start of the slot after the
/// parent's, or of the current slot if that is later. Slot-aligned, so every block lands in a new
/// slot (Aura's rule) at least one slot after its parent (the timestamp pallet's minimum period),
/// and chain time never falls behind the clock; a chain sealed faster than one block per slot runs
/// ahead of it.
fn instant_timestamp(
	client: &FullClient,
	parent: <Block as BlockT>::Hash,
	slot_duration: polkadot_sdk::sp_consensus_aura::SlotDuration,
) -> Result<sp_timestamp::InherentDataProvider, Box<dyn std::error::Error + Send + Sync>> {
	use polkadot_sdk::sp_consensus_aura::sr25519::AuthoritySignature;
	let header = client.header(parent)?.ok_or_else(|| format!("the parent block {parent:?} is not in the database"))?;
	let slot_millis = slot_duration.as_millis();
	let now_slot = sp_timestamp::Timestamp::current().as_millis() / slot_millis;
	// The genesis block has no slot.
	let after_parent =
		sc_consensus_aura::find_pre_digest::<Block, AuthoritySignature>(&header).map(|slot| *slot + 1).unwrap_or(0);
	Ok(sp_timestamp::InherentDataProvider::new(sp_timestamp::Timestamp::new(after_parent.max(now_slot) * slot_millis)))
}

/// Seals a block whenever a transaction becomes ready, at least every `interval`, and on every
/// `engine_createBlock` request, each final at once (Aura's pre-digest included, so the runtime
/// sees the slots it expects).
fn start_instant_sealing(
	task_manager: &TaskManager,
	client: Arc<FullClient>,
	transaction_pool: Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	select_chain: FullSelectChain,
	proposer_factory: sc_basic_authorship::ProposerFactory<
		sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
		FullClient,
	>,
	interval: Duration,
	requests: futures::channel::mpsc::Receiver<sc_consensus_manual_seal::EngineCommand<<Block as BlockT>::Hash>>,
) -> Result<(), ServiceError> {
	use futures::StreamExt;
	use polkadot_sdk::sc_transaction_pool_api::TransactionPool;
	use sc_consensus_manual_seal::{consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams};

	let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
	let seal = |create_empty: bool| EngineCommand::SealNewBlock {
		create_empty,
		finalize: true,
		parent_hash: None,
		sender: None,
	};
	let ready = transaction_pool.import_notification_stream().map(move |_| seal(false));
	let heartbeat = futures::stream::unfold((), move |()| async move {
		tokio::time::sleep(interval).await;
		Some(((), ()))
	})
	.map(move |()| seal(true));
	let timestamp_client = client.clone();
	let params = ManualSealParams {
		block_import: client.clone(),
		env: proposer_factory,
		client,
		pool: transaction_pool,
		commands_stream: Box::pin(futures::stream::select(futures::stream::select(ready, heartbeat), requests)),
		select_chain,
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new_with_slot_duration(slot_duration))),
		create_inherent_data_providers: move |parent, ()| {
			let client = timestamp_client.clone();
			async move { instant_timestamp(&client, parent, slot_duration) }
		},
	};
	task_manager.spawn_essential_handle().spawn_blocking(
		"instant-seal",
		Some("block-authoring"),
		sc_consensus_manual_seal::run_manual_seal(params),
	);
	Ok(())
}
