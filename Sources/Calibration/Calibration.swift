// Module Calibration — see README "Architecture".
