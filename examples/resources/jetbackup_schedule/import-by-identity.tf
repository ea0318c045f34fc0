# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_schedule.twice_a_week
  identity = {
    id = "6503f0a0ebbf07708d06f202"
  }
}
