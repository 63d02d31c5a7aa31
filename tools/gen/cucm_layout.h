/* The CUCM 12.5+ CDR layout (133 columns): the header and type lines as the
 * CDR Repository Manager writes them (taken from tests/fixtures/cucm/133). */
#ifndef GEN_CUCM_LAYOUT_H
#define GEN_CUCM_LAYOUT_H

#define CUCM_NCOLS 133

static const char CUCM_HEADER[] =
    "\"cdrRecordType\",\"globalCallID_callManagerId\",\"globalCallID_callId\",\"origLegCallIdentifier\""
    ",\"dateTimeOrigination\",\"origNodeId\",\"origSpan\",\"origIpAddr\",\"callingPartyNumber\",\"callingP"
    "artyUnicodeLoginUserID\",\"origCause_location\",\"origCause_value\",\"origPrecedenceLevel\",\"orig"
    "MediaTransportAddress_IP\",\"origMediaTransportAddress_Port\",\"origMediaCap_payloadCapability"
    "\",\"origMediaCap_maxFramesPerPacket\",\"origMediaCap_g723BitRate\",\"origVideoCap_Codec\",\"origV"
    "ideoCap_Bandwidth\",\"origVideoCap_Resolution\",\"origVideoTransportAddress_IP\",\"origVideoTran"
    "sportAddress_Port\",\"origRSVPAudioStat\",\"origRSVPVideoStat\",\"destLegIdentifier\",\"destNodeId"
    "\",\"destSpan\",\"destIpAddr\",\"originalCalledPartyNumber\",\"finalCalledPartyNumber\",\"finalCalle"
    "dPartyUnicodeLoginUserID\",\"destCause_location\",\"destCause_value\",\"destPrecedenceLevel\",\"de"
    "stMediaTransportAddress_IP\",\"destMediaTransportAddress_Port\",\"destMediaCap_payloadCapabili"
    "ty\",\"destMediaCap_maxFramesPerPacket\",\"destMediaCap_g723BitRate\",\"destVideoCap_Codec\",\"des"
    "tVideoCap_Bandwidth\",\"destVideoCap_Resolution\",\"destVideoTransportAddress_IP\",\"destVideoTr"
    "ansportAddress_Port\",\"destRSVPAudioStat\",\"destRSVPVideoStat\",\"dateTimeConnect\",\"dateTimeDi"
    "sconnect\",\"lastRedirectDn\",\"pkid\",\"originalCalledPartyNumberPartition\",\"callingPartyNumber"
    "Partition\",\"finalCalledPartyNumberPartition\",\"lastRedirectDnPartition\",\"duration\",\"origDev"
    "iceName\",\"destDeviceName\",\"origCallTerminationOnBehalfOf\",\"destCallTerminationOnBehalfOf\","
    "\"origCalledPartyRedirectOnBehalfOf\",\"lastRedirectRedirectOnBehalfOf\",\"origCalledPartyRedir"
    "ectReason\",\"lastRedirectRedirectReason\",\"destConversationId\",\"globalCallId_ClusterID\",\"joi"
    "nOnBehalfOf\",\"comment\",\"authCodeDescription\",\"authorizationLevel\",\"clientMatterCode\",\"orig"
    "DTMFMethod\",\"destDTMFMethod\",\"callSecuredStatus\",\"origConversationId\",\"origMediaCap_Bandwi"
    "dth\",\"destMediaCap_Bandwidth\",\"authorizationCodeValue\",\"outpulsedCallingPartyNumber\",\"outp"
    "ulsedCalledPartyNumber\",\"origIpv4v6Addr\",\"destIpv4v6Addr\",\"origVideoCap_Codec_Channel2\",\"o"
    "rigVideoCap_Bandwidth_Channel2\",\"origVideoCap_Resolution_Channel2\",\"origVideoTransportAddr"
    "ess_IP_Channel2\",\"origVideoTransportAddress_Port_Channel2\",\"origVideoChannel_Role_Channel2"
    "\",\"destVideoCap_Codec_Channel2\",\"destVideoCap_Bandwidth_Channel2\",\"destVideoCap_Resolution"
    "_Channel2\",\"destVideoTransportAddress_IP_Channel2\",\"destVideoTransportAddress_Port_Channel"
    "2\",\"destVideoChannel_Role_Channel2\",\"IncomingProtocolID\",\"IncomingProtocolCallRef\",\"Outgoi"
    "ngProtocolID\",\"OutgoingProtocolCallRef\",\"currentRoutingReason\",\"origRoutingReason\",\"lastRe"
    "directingRoutingReason\",\"huntPilotPartition\",\"huntPilotDN\",\"calledPartyPatternUsage\",\"Inco"
    "mingICID\",\"IncomingOrigIOI\",\"IncomingTermIOI\",\"OutgoingICID\",\"OutgoingOrigIOI\",\"OutgoingTe"
    "rmIOI\",\"outpulsedOriginalCalledPartyNumber\",\"outpulsedLastRedirectingNumber\",\"wasCallQueue"
    "d\",\"totalWaitTimeInQueue\",\"callingPartyNumber_uri\",\"originalCalledPartyNumber_uri\",\"finalC"
    "alledPartyNumber_uri\",\"lastRedirectDn_uri\",\"mobileCallingPartyNumber\",\"finalMobileCalledPa"
    "rtyNumber\",\"origMobileDeviceName\",\"destMobileDeviceName\",\"origMobileCallDuration\",\"destMob"
    "ileCallDuration\",\"mobileCallType\",\"originalCalledPartyPattern\",\"finalCalledPartyPattern\",\""
    "lastRedirectingPartyPattern\",\"huntPilotPattern\",\"origDeviceType\",\"destDeviceType\",\"origDev"
    "iceSessionID\",\"destDeviceSessionID\"";

static const char CUCM_TYPES[] =
    "INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(128),I"
    "NTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INT"
    "EGER,INTEGER,VARCHAR(64),VARCHAR(64),INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(5"
    "0),VARCHAR(128),INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,IN"
    "TEGER,INTEGER,INTEGER,INTEGER,VARCHAR(64),VARCHAR(64),INTEGER,INTEGER,VARCHAR(50),UNIQUEID"
    "ENTIFIER,VARCHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(50),INTEGER,VARCHAR(129),VARCHAR(129)"
    ",INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),INTEGER,VARCHAR(2048)"
    ",VARCHAR(50),INTEGER,VARCHAR(32),INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(3"
    "2),VARCHAR(50),VARCHAR(50),VARCHAR(64),VARCHAR(64),INTEGER,INTEGER,INTEGER,INTEGER,INTEGER"
    ",INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(32),INTEGER,VARCH"
    "AR(32),INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),INTEGER,VARCHAR(50),VARCHAR(50),VAR"
    "CHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(50),INTEGER,INTEGER,VARCH"
    "AR(255),VARCHAR(255),VARCHAR(255),VARCHAR(255),VARCHAR(50),VARCHAR(50),VARCHAR(129),VARCHA"
    "R(129),INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(50),VARCHAR(100"
    "),VARCHAR(100),VARCHAR(128),VARCHAR(128)";

#endif
