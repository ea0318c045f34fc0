# Look a schedule up by its exact name (case-sensitive), so that the same
# configuration works on every server whatever its schedule IDs are.
data "jetbackup_schedule" "daily" {
  name = "Daily"
}

# Or by ID, to read its settings.
data "jetbackup_schedule" "weekly" {
  id = "6503f0a0ebbf07708d06f203"
}

output "daily" {
  value = {
    id           = data.jetbackup_schedule.daily.id
    type         = data.jetbackup_schedule.daily.type
    days_of_week = data.jetbackup_schedule.daily.days_of_week
  }
}
