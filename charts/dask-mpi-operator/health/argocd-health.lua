-- Argo CD health check for daskmpi.io/DaskMpiJob.
-- Install as resource.customizations.health.daskmpi.io_DaskMpiJob in argocd-cm (see README.md).
-- Argo CD sets the global obj (the resource) and reads the returned table's status and message.
-- Plain Lua 5.1 (gopher-lua); also runs unchanged on 5.2-5.4. Argo CD opens only the base, table,
-- package and a safe os library for scripts from argocd-cm: no string or math library here.
local hs = {}

local function nonEmpty(s)
  return type(s) == "string" and s ~= ""
end

local function phaseMessage(status, fallback)
  if nonEmpty(status.message) then
    return status.message
  end
  return fallback
end

local function condition(status, conditionType)
  if type(status.conditions) ~= "table" then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if type(c) == "table" and c.type == conditionType then
      return c
    end
  end
  return nil
end

local status = obj.status
if type(status) ~= "table" or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
local observed = status.observedGeneration
if type(generation) == "number" and type(observed) == "number" and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator (observed generation " .. tostring(observed)
    .. ", current " .. tostring(generation) .. ")"
  return hs
end

local phase = status.phase
if phase == "Pending" or phase == "Submitted" or phase == "Queued" or phase == "Running" then
  hs.status = "Progressing"
  local reachable = condition(status, "SlurmReachable")
  if reachable ~= nil and reachable.status == "False" then
    -- The job itself may be fine; an outage of slurmrestd must not read as a failed job.
    local detail = ""
    if nonEmpty(reachable.message) then
      detail = ": " .. reachable.message
    end
    hs.message = "Slurm is unreachable, last known phase " .. phase .. detail
  else
    hs.message = phaseMessage(status, "Job is " .. phase)
  end
elseif phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = phaseMessage(status, "Job is suspended in Slurm")
elseif phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = phaseMessage(status, "Job succeeded")
elseif phase == "Failed" or phase == "Cancelled" or phase == "Unknown" then
  hs.status = "Degraded"
  hs.message = phaseMessage(status, "Job ended: " .. phase)
else
  hs.status = "Unknown"
  hs.message = "Unrecognized phase: " .. tostring(phase)
end
return hs
