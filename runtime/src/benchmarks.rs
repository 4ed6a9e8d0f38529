//! The pallets `merit-node benchmark pallet` measures.

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[pallet_merit_artifacts, MeritArtifacts]
	[pallet_merit_challenges, MeritChallenges]
	[pallet_merit_scoring, MeritScoring]
	[pallet_merit_rewards, MeritRewards]
	[pallet_merit_teams, MeritTeams]
	[pallet_merit_campaigns, MeritCampaigns]
);
