CREATE TEMP TABLE s(w text);
DO $$ BEGIN FOR i IN 1..400 LOOP
  PERFORM pg_stat_clear_snapshot();
  INSERT INTO s SELECT coalesce(wait_event_type,'CPU')||':'||coalesce(wait_event,'-')||':'||state||':'||left(query,25)
    FROM pg_stat_activity WHERE backend_type='client backend' AND pid<>pg_backend_pid() AND application_name LIKE 'PostgreSQL JDBC%';
  PERFORM pg_sleep(0.01);
END LOOP; END $$;
SELECT count(*), w FROM s GROUP BY w ORDER BY 1 DESC LIMIT 8;
