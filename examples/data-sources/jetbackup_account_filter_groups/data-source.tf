# Every account filter group whose name starts with "Team": a backup job's
# `filters` lists group IDs.
data "jetbackup_account_filter_groups" "teams" {
  name_regex = "^Team"
}

output "team_group_ids" {
  value = data.jetbackup_account_filter_groups.teams.ids
}
